<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CampaignsScreen</name>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="57"/>
        <source>Presale orders draw on each campaign&apos;s own pool, never on spot stock. A campaign is warned when its pool is 90% used or an order did not fit.</source>
        <translation>预售订单只占用各活动自己的虚拟库存池，不占用现货库存。库存池用量达到 90% 或有订单超出产能时，活动显示预警。</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="60"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="68"/>
        <source>Campaign / kind</source>
        <translation>活动 / 类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="68"/>
        <source>Name / SKU</source>
        <translation>名称 / 商品编码</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="69"/>
        <source>Terms / buyer pays for 1 unit</source>
        <translation>价格条款 / 买 1 件实付</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="69"/>
        <source>Pool used</source>
        <translation>库存池用量</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="69"/>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="70"/>
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="70"/>
        <source>Awaiting
balance</source>
        <translation>待尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="70"/>
        <source>Ready
for wave</source>
        <translation>待组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="71"/>
        <source>Exceptions</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="99"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="107"/>
        <source>Could not load the presale campaigns: %1</source>
        <translation>预售活动加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="124"/>
        <source>⚠ Warning</source>
        <translation>⚠ 预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="132"/>
        <source>Pool nearly full or an order did not fit: check supplier capacity</source>
        <translation>库存池将满或有订单超出产能：请核对供应商产能</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="137"/>
        <source>%1 campaigns · %2 warned</source>
        <translation>共 %1 个活动 · %2 个预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="192"/>
        <source>%1% of the pool reserved</source>
        <translation>库存池已占用 %1%</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="204"/>
        <source>%1, paid in full</source>
        <translation>%1，全款支付</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="205"/>
        <source>%1 · deposit %2 counts %3</source>
        <translation>%1 · 定金 %2 抵 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="208"/>
        <source>balance −%1</source>
        <translation>尾款立减 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="210"/>
        <source>%1 units or more: −%2</source>
        <translation>满 %1 件：−%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="218"/>
        <source>Terms invalid: %1</source>
        <translation>活动条款无效：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="221"/>
        <source>deposit %1 + balance %2 = %3</source>
        <translation>定金 %1 + 尾款 %2 = %3</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="69"/>
        <location filename="../../app/ui/devices_screen.py" line="121"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="69"/>
        <location filename="../../app/ui/devices_screen.py" line="122"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="70"/>
        <location filename="../../app/ui/devices_screen.py" line="123"/>
        <location filename="../../app/ui/devices_screen.py" line="144"/>
        <source>URL</source>
        <translation>地址 (URL)</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="70"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="70"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="73"/>
        <source>New device</source>
        <translation>新增设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="74"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="75"/>
        <source>Reconnect all</source>
        <translation>全部重新连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="108"/>
        <source>none: any fast burst is a scan</source>
        <translation>无：任何快速连续输入都算扫码</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="111"/>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="111"/>
        <source>Tab</source>
        <translation>Tab 键</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="112"/>
        <source>none (pause ends the scan)</source>
        <translation>无（停顿即结束）</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="114"/>
        <source>Take scans out of typing fields</source>
        <translation>扫描内容不进入输入框</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="116"/>
        <source>Save to station settings</source>
        <translation>保存到工位设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="125"/>
        <source>Steady for</source>
        <translation>稳定时长</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="126"/>
        <source>Tolerance</source>
        <translation>允许波动</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="127"/>
        <source>GS replacement</source>
        <translation>GS 分隔符替代字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="128"/>
        <source>Keys at most</source>
        <translation>按键间隔不超过</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="129"/>
        <source>Shortest code</source>
        <translation>最短条码长度</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="130"/>
        <source>Starts with</source>
        <translation>前缀</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="131"/>
        <source>Ends with</source>
        <translation>结束符</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="135"/>
        <source>Device settings</source>
        <translation>设备设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="142"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="142"/>
        <source>USB id</source>
        <translation>USB 标识</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="143"/>
        <source>Serial no.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="143"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="147"/>
        <source>Double-click a port to use it for the device.</source>
        <translation>双击端口即可用于当前设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="150"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="150"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="150"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="151"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="151"/>
        <source>Symbology</source>
        <translation>码制</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="152"/>
        <source>Batch</source>
        <translation>批号</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="152"/>
        <source>Expiry</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="153"/>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="153"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="170"/>
        <source>no sim:// scanner</source>
        <translation>无 sim:// 扫描枪</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="173"/>
        <source>Barcode to scan</source>
        <translation>要扫描的条码</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="174"/>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="183"/>
        <source>no sim:// scale</source>
        <translation>无 sim:// 电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="186"/>
        <location filename="../../app/ui/devices_screen.py" line="458"/>
        <source>steady</source>
        <translation>稳定</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="188"/>
        <source>Put on scale</source>
        <translation>放上秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="191"/>
        <location filename="../../app/ui/devices_screen.py" line="504"/>
        <source>Pull cable</source>
        <translation>拔掉线缆</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="194"/>
        <source>Simulated devices (training)</source>
        <translation>模拟设备（培训）</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="203"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="203"/>
        <source>New box</source>
        <translation>新箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="223"/>
        <source>Devices of this station</source>
        <translation>本工位设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="227"/>
        <source>Serial ports</source>
        <translation>串口</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="232"/>
        <source>Live test: last scans</source>
        <translation>实时测试：最近扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="235"/>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="347"/>
        <source>%1, %2 baud, ends with %3</source>
        <translation>%1，%2 波特，结束符 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="378"/>
        <source>Saved; %1 reconnects now</source>
        <translation>已保存；%1 正在重新连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="384"/>
        <source>Remove device</source>
        <translation>删除设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="385"/>
        <source>Remove %1 from this station?</source>
        <translation>从本工位删除 %1？</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="400"/>
        <source>Plugged in: %1</source>
        <translation>已插入：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="403"/>
        <source>Unplugged: %1</source>
        <translation>已拔出：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="442"/>
        <source>no reading from the scale yet</source>
        <translation>电子秤尚无读数</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="443"/>
        <source>no scale on this station</source>
        <translation>本工位没有电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="452"/>
        <source>⚠ over range</source>
        <translation>⚠ 超量程</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="454"/>
        <source>⚠ below zero</source>
        <translation>⚠ 低于零点</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="456"/>
        <source>~ moving</source>
        <translation>~ 晃动中</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="466"/>
        <source>✔ settled</source>
        <translation>✔ 已稳定</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="482"/>
        <source>Add a device with the URL sim:// to train without hardware</source>
        <translation>添加地址为 sim:// 的设备，无需硬件即可培训</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="493"/>
        <source>%1 is unplugged</source>
        <translation>%1 已断开</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="504"/>
        <source>Put cable back</source>
        <translation>插回线缆</translation>
    </message>
</context>
<context>
    <name>ExceptionsScreen</name>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="213"/>
        <source>All exceptions</source>
        <translation>全部异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="214"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="215"/>
        <source>Escalate now</source>
        <translation>立即升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="218"/>
        <source>Raise the level of every exception older than 24, 48 or 72 hours</source>
        <translation>将超过 24、48、72 小时的异常升到相应级别</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="221"/>
        <source>Category</source>
        <translation>异常类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="264"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="284"/>
        <source>Note, kept with the resolution (optional)</source>
        <translation>备注（选填），随处理结果保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="299"/>
        <source>Correct the receiver</source>
        <translation>修改收件信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="304"/>
        <source>Name</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="304"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="305"/>
        <source>Province</source>
        <translation>省</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="305"/>
        <source>City</source>
        <translation>市</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="306"/>
        <source>District</source>
        <translation>区/县</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="306"/>
        <source>Street address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="316"/>
        <source>Ship another SKU instead</source>
        <translation>改发其他商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="323"/>
        <source>SKU code, e.g. SKU-00042</source>
        <translation>商品编码，例如 SKU-00042</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="326"/>
        <source>Replace</source>
        <translation>原商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="327"/>
        <source>With</source>
        <translation>改发</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="331"/>
        <source>Your role can look at the exception queue but not resolve exceptions.</source>
        <translation>您的角色可以查看异常队列，但不能处理异常。</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="369"/>
        <source>Could not load the exception queue: %1</source>
        <translation>异常队列加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="377"/>
        <source>All exceptions (%1)</source>
        <translation>全部异常 (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="406"/>
        <source>No exception selected</source>
        <translation>未选择异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="440"/>
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="440"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="499"/>
        <source>Give the SKU to replace and the SKU to ship.</source>
        <translation>请填写要替换的商品和改发的商品。</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="502"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="503"/>
        <source>Cancel order %1? Its reserved stock is given back and it will not ship.</source>
        <translation>确定取消订单 %1？已占用的库存将释放，订单不再发货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="508"/>
        <source>Working on %1…</source>
        <translation>正在处理 %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="517"/>
        <source>%1: %2 — now %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="546"/>
        <source>Escalated: %1</source>
        <translation>已升级：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="548"/>
        <source>Nothing to escalate: no exception passed a threshold.</source>
        <translation>无需升级：没有异常超过时限。</translation>
    </message>
</context>
<context>
    <name>HandoverScreen</name>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="42"/>
        <source>Start loading</source>
        <translation>开始装车</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="57"/>
        <source>Scan a parcel&apos;s waybill</source>
        <translation>扫描包裹运单</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="63"/>
        <source>Close and print the manifest</source>
        <translation>结束交接并打印交接清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="68"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="70"/>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="79"/>
        <source>Packed but not scanned yet</source>
        <translation>已打包但尚未扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="139"/>
        <source>Parcels waiting: %1</source>
        <translation>待交接包裹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="141"/>
        <source>Press Start loading, then scan each parcel onto the truck</source>
        <translation>按“开始装车”，然后逐个扫描包裹装车</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="142"/>
        <source>No parcel of this carrier is waiting here</source>
        <translation>本仓没有该承运商的待交接包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="165"/>
        <source>%1 · %2 loading: scan each parcel</source>
        <translation>%1 · %2 装车中：请逐件扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="180"/>
        <source>Choose the carrier and start loading first</source>
        <translation>请先选择承运商并开始装车</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="235"/>
        <source>… and %1 more</source>
        <translation>… 另有 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="236"/>
        <source>%1 parcels of %2 are packed but not scanned onto the truck:

%3

Close %4 without them? They stay in the building.</source>
        <translation>%2 有 %1 个包裹已打包但尚未扫描装车：

%3

不带这些包裹结束交接 %4？它们将留在仓内。</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="241"/>
        <source>Parcels not scanned</source>
        <translation>有包裹未扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="242"/>
        <source>Not closed: scan the missing parcels</source>
        <translation>未结束交接：请扫描缺少的包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="264"/>
        <source>%1 closed: %2 parcels shipped, manifest printed</source>
        <translation>%1 已结束：%2 件已发运，交接清单已打印</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../app/ui/login.py" line="40"/>
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="47"/>
        <source>Scan your badge, or enter your user code and password</source>
        <translation>请扫描工牌，或输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="52"/>
        <source>User code or badge</source>
        <translation>工号或工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="56"/>
        <location filename="../../app/ui/login.py" line="66"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="57"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="65"/>
        <source>User</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="76"/>
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="121"/>
        <source>Enter user code and password</source>
        <translation>请输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="131"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="150"/>
        <source>Central database unreachable: checking this station&apos;s list…</source>
        <translation>中心数据库无法连接：正在核对本工位的人员名单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="159"/>
        <source>Login refused: unknown user, wrong password or unknown badge</source>
        <translation>登录失败：工号不存在、密码错误或工牌无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="162"/>
        <source>Central database unreachable: %1</source>
        <translation>无法连接中心数据库：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="145"/>
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="169"/>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="191"/>
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="192"/>
        <source>Central: %1</source>
        <translation>中心库：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="206"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="211"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="213"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="267"/>
        <source>Your role has no screens on this station.</source>
        <translation>您的角色在此工位没有可用的界面。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="294"/>
        <source>%1 waiting</source>
        <translation>待同步 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="296"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="299"/>
        <source>last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="303"/>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="304"/>
        <source>behind %1 min</source>
        <translation>落后 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="307"/>
        <source>%1 conflicts</source>
        <translation>冲突 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="323"/>
        <source>… and %1 more: see the exception queue</source>
        <translation>…… 另有 %1 条：请看异常队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="341"/>
        <source>Order %1 was intercepted while it was being packed: do not ship the parcel, hand it to the shift lead</source>
        <translation>订单 %1 在打包期间已被拦截：包裹不要发出，请交给组长处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="344"/>
        <source>Order %1 was packed elsewhere too, or its tracking number is taken: hand the parcel to the shift lead</source>
        <translation>订单 %1 已在别处打包，或运单号已被占用：请把包裹交给组长处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="346"/>
        <source>The central database did not accept %1: %2</source>
        <translation>中心数据库未接受 %1：%2</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="67"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="72"/>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="77"/>
        <source>Spot and presale</source>
        <translation>现货和预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="78"/>
        <source>Presale only</source>
        <translation>仅预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="79"/>
        <source>Spot only</source>
        <translation>仅现货</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="82"/>
        <source>All warehouses</source>
        <translation>全部仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="88"/>
        <source>All exception categories</source>
        <translation>全部异常类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="94"/>
        <source>Order no., channel order no., phone or buyer — Enter to search</source>
        <translation>订单号、平台单号、手机号或买家——回车搜索</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="96"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="130"/>
        <source>Select an order to see its lines and history</source>
        <translation>选择订单查看明细和操作记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="138"/>
        <source>Hold (Ctrl+H)</source>
        <translation>挂起 (Ctrl+H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="141"/>
        <source>Release hold (Ctrl+Shift+H)</source>
        <translation>解除挂起 (Ctrl+Shift+H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="144"/>
        <source>Cancel order… (Ctrl+Del)</source>
        <translation>取消订单… (Ctrl+Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="147"/>
        <source>Run engine now (Ctrl+E)</source>
        <translation>立即审单分仓 (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="151"/>
        <source>Review and route every new order now instead of waiting for the engine</source>
        <translation>立即对所有新订单审单并分仓，不必等待后台引擎</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="154"/>
        <source>Your role may not change an order&apos;s status</source>
        <translation>您的角色不能修改订单状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="156"/>
        <source>Your role may not run the engine</source>
        <translation>您的角色不能运行审单引擎</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="187"/>
        <location filename="../../app/ui/orders_screen.py" line="215"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="231"/>
        <source>%1 orders · loaded in %2 ms</source>
        <translation>共 %1 单 · 加载 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="245"/>
        <source>Could not load orders: %1</source>
        <translation>订单加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="312"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="313"/>
        <source>Cancel order %1 (%2)? It will not ship, and this cannot be undone.</source>
        <translation>确定取消订单 %1（%2）？订单将不再发货，此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="332"/>
        <source>%1 is now %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="347"/>
        <source>Engine running…</source>
        <translation>审单引擎运行中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="354"/>
        <source>Engine: %1 orders reviewed, %2 ready for wave, %3 awaiting balance, %4 exceptions</source>
        <translation>审单引擎：处理 %1 单，待组波 %2 单，待尾款 %3 单，异常 %4 单</translation>
    </message>
</context>
<context>
    <name>PackingScreen</name>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="80"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="80"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="81"/>
        <source>Scanned</source>
        <translation>已扫</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="81"/>
        <source>Box</source>
        <translation>箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="101"/>
        <source>Scan or type a code, then Enter</source>
        <translation>扫描或输入条码后回车</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="109"/>
        <source>New box 新箱 (F2)</source>
        <translation>新箱 (F2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="110"/>
        <source>Pause 暂停 (F3)</source>
        <translation>暂停 (F3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="111"/>
        <source>Confirm 确认 (F4)</source>
        <translation>确认 (F4)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="112"/>
        <source>Reprint 重打 (F5)</source>
        <translation>重打 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="122"/>
        <source>Lead lets the weight go (F9)</source>
        <translation>组长放行重量 (F9)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="127"/>
        <source>Print command cards</source>
        <translation>打印指令卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="146"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="152"/>
        <source>Set aside</source>
        <translation>已暂放</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="164"/>
        <location filename="../../app/ui/packing_screen.py" line="286"/>
        <source>Scan an order, a waybill or a slot</source>
        <translation>请扫描订单、运单或格口</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="232"/>
        <source>Shift lead: scan your badge to let this weight go</source>
        <translation>组长：请扫描工牌以放行此重量</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="239"/>
        <source>That was no badge</source>
        <translation>这不是工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="244"/>
        <source>weight checked by the shift lead</source>
        <translation>组长已核对重量</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="273"/>
        <source>STOP ✋ %1 is intercepted (%2). Do not ship: put the items back for the put-back task.</source>
        <translation>停止 ✋ %1 已被拦截（%2）。不要发货：把商品放回，等待放回任务。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="277"/>
        <source>Intercepted: set the items aside</source>
        <translation>已拦截：请把商品放到一边</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="289"/>
        <source>%1 packed: label printed (%2)</source>
        <translation>%1 已打包：面单已打印（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="294"/>
        <source>All items checked: put the parcel on the scale</source>
        <translation>商品已全部核对：请把包裹放上秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="299"/>
        <source>Taken up from %1 (%2): %3 units counted there, %4 more to scan</source>
        <translation>接续 %1（%2）暂停的订单：那边已点 %3 件，还需扫描 %4 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="306"/>
        <source>OK · %1 more to scan</source>
        <translation>正确 · 还需扫描 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="312"/>
        <source>Wrong item: not in this order. Put it aside</source>
        <translation>错货：不是本订单的商品，请放到一边</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="313"/>
        <source>This item belongs to %1, not to this order</source>
        <translation>此商品属于 %1，不是本订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="314"/>
        <source>Extra unit: this item is complete already</source>
        <translation>多件：此商品已扫够</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="315"/>
        <source>Too many: more than the order needs</source>
        <translation>数量过多：超过订单所需</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="316"/>
        <source>Scan the units one by one</source>
        <translation>请逐件扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="317"/>
        <source>The box is empty: scan an item first</source>
        <translation>箱子是空的：请先扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="318"/>
        <source>Weight outside the tolerance: check the parcel, or a shift lead lets it go (F9)</source>
        <translation>重量超出允许范围：请检查包裹，或由组长放行 (F9)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="320"/>
        <source>Already packed: it cannot be packed again</source>
        <translation>已打包：不能重复打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="321"/>
        <source>%1 is not ready for packing</source>
        <translation>%1 尚不能打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="322"/>
        <source>Finish %1 first, or set it aside (F3)</source>
        <translation>请先完成 %1，或暂放 (F3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="323"/>
        <source>Scan an order first</source>
        <translation>请先扫描订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="324"/>
        <source>Not every item is scanned yet</source>
        <translation>还有商品未扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="325"/>
        <source>This order is set aside</source>
        <translation>此订单已暂放</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="339"/>
        <source>box %1</source>
        <translation>第 %1 箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="394"/>
        <source>Command cards sent to %1</source>
        <translation>指令卡已发送到 %1</translation>
    </message>
</context>
<context>
    <name>PickingScreen</name>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="63"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="65"/>
        <source>Hand back (F7)</source>
        <translation>交还波次 (F7)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="67"/>
        <source>Stop here: the wave goes back to the list with what you picked, for another picker</source>
        <translation>到此为止：波次连同已拣货品退回列表，由其他拣货员继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="70"/>
        <source>Abandon (F11)</source>
        <translation>放弃波次 (F11)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="72"/>
        <source>Nothing picked yet: the wave&apos;s orders go back to the queue</source>
        <translation>尚未拣货：波次的订单退回队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="113"/>
        <source>Scan or type a code, then Enter</source>
        <translation>扫描或输入条码后回车</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="121"/>
        <source>Skip (F6)</source>
        <translation>跳过 (F6)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="124"/>
        <source>Short: only the quantity found (F8)</source>
        <translation>缺货：只拣到数量框中的数量 (F8)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="134"/>
        <source>Waves to pick</source>
        <translation>待拣波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="149"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="158"/>
        <source>Put back</source>
        <translation>放回任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="171"/>
        <source>Scan a wave (WAVE-…) or pick one from the list</source>
        <translation>扫描波次 (WAVE-…) 或从列表中选择</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="201"/>
        <source>Scan a wave first (WAVE-…)</source>
        <translation>请先扫描波次 (WAVE-…)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="226"/>
        <source>%1 is yours</source>
        <translation>%1 已领取</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="236"/>
        <source>Right bin. Type the quantity, then scan the item</source>
        <translation>库位正确。先输入数量，再扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="241"/>
        <source>Right bin. Scan the item</source>
        <translation>库位正确。请扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="251"/>
        <source>Wave picked. Take the cart to the put wall and scan each item</source>
        <translation>波次已拣完。请把拣货车推到播种墙，逐件扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="255"/>
        <source>Wave picked. Take it to packing</source>
        <translation>波次已拣完。请送往打包台</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="259"/>
        <source>Task done. Next bin</source>
        <translation>本任务完成。前往下一库位</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="262"/>
        <source>OK, scan the next unit</source>
        <translation>正确，请扫描下一件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="268"/>
        <source>Slot %1</source>
        <translation>格口 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="272"/>
        <source>Slot %1 complete: to packing</source>
        <translation>格口 %1 已齐：送打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="276"/>
        <source>%1 more</source>
        <translation>还差 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="277"/>
        <source>Into slot %1</source>
        <translation>放入格口 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="288"/>
        <source>Wrong bin: go to %1</source>
        <translation>库位错误：请到 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="290"/>
        <source>Scan the bin %1 first</source>
        <translation>请先扫描库位 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="292"/>
        <source>Wrong item: this task is %1 %2</source>
        <translation>商品错误：本任务是 %1 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="295"/>
        <source>Too many: %1 left to pick here</source>
        <translation>数量超出：此处只需再拣 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="298"/>
        <source>Check the quantity: %1 left to pick here</source>
        <translation>请核对数量：此处还需拣 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="316"/>
        <source>Back on %1 where you left it</source>
        <translation>已回到 %1，从上次停下的地方继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="327"/>
        <source>Hand back</source>
        <translation>交还波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="328"/>
        <source>Hand %1 back? What you picked stays picked; another picker carries on from the next task.</source>
        <translation>交还 %1？已拣的货品保留，由其他拣货员从下一个任务继续。</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="332"/>
        <source>%1 handed back: it is in the list for the next picker</source>
        <translation>%1 已交还：在列表中等待下一位拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="340"/>
        <source>Abandon wave</source>
        <translation>放弃波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="341"/>
        <source>Abandon %1? Its orders go back to the queue for a new wave.</source>
        <translation>放弃 %1？其订单退回队列，重新组波。</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="345"/>
        <source>%1 abandoned: %2 orders back in the queue</source>
        <translation>已放弃 %1：%2 单退回队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="368"/>
        <source>Skipped: it comes back at the end</source>
        <translation>已跳过：最后再回来拣</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="378"/>
        <source>Short pick</source>
        <translation>拣货缺货</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="379"/>
        <source>Only %1 of %2 × %3 found in %4? The orders that go without leave the wave for the shift lead.</source>
        <translation>在 %4 只找到 %1 件（应拣 %2 件 %3）？缺货的订单将移出波次，交组长处理。</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="393"/>
        <source>Short pick recorded: the shift lead sees the exception; the wave goes on</source>
        <translation>已登记缺货：组长会看到异常；波次继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="415"/>
        <source>No wave</source>
        <translation>无波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="422"/>
        <source>%1 of %2 units</source>
        <translation>%1 / %2 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="430"/>
        <source>cell %1</source>
        <translation>格 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="435"/>
        <source>Put wall</source>
        <translation>播种墙</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="436"/>
        <source>Scan each item: its slot shows here</source>
        <translation>逐件扫描：这里显示放入的格口</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="475"/>
        <source>%1 is no longer yours (%2)</source>
        <translation>%1 已不再由您拣货（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="499"/>
        <source>%1 units</source>
        <translation>%1 件</translation>
    </message>
</context>
<context>
    <name>PrintingScreen</name>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="71"/>
        <source>All jobs</source>
        <translation>全部任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="79"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="79"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="79"/>
        <source>For</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="79"/>
        <location filename="../../app/ui/printing_screen.py" line="104"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <location filename="../../app/ui/printing_screen.py" line="104"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <source>Sent again</source>
        <translation>重发次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <source>Reprint of</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="81"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="91"/>
        <source>Label torn or smudged</source>
        <translation>面单破损或污损</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="91"/>
        <source>Label lost</source>
        <translation>面单丢失</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="92"/>
        <source>Printed unreadable</source>
        <translation>打印不清</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="92"/>
        <source>Stuck on the wrong parcel</source>
        <translation>贴错包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="94"/>
        <source>Why print again?</source>
        <translation>补打原因？</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="95"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="99"/>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="104"/>
        <source>Language</source>
        <translation>指令语言</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="104"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="105"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="105"/>
        <source>Backup</source>
        <translation>备用打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="105"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="107"/>
        <source>Print test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="111"/>
        <source>Select a job to see its label</source>
        <translation>选择任务以预览面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="119"/>
        <source>Print queue</source>
        <translation>打印队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="129"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="239"/>
        <source>Select the job to print again</source>
        <translation>请选择要补打的任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="249"/>
        <source>Printing again on %1</source>
        <translation>正在 %1 上补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="257"/>
        <source>Job cancelled</source>
        <translation>任务已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="267"/>
        <source>Test page sent to %1</source>
        <translation>测试页已发送到 %1</translation>
    </message>
</context>
<context>
    <name>RulesScreen</name>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="94"/>
        <source>Every new order passes these rules from top to bottom. A rule lets the order through, holds it for review, or sends it to the exception queue. Changes apply to the next orders the engine reviews.</source>
        <translation>每个新订单从上到下依次经过这些规则。规则可放行订单、挂起待人工审核，或转入异常队列。修改对引擎接下来审核的订单生效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="99"/>
        <source>Read only: your role may look at the review rules but not change them.</source>
        <translation>只读：您的角色可以查看审单规则，但不能修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="103"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="111"/>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="111"/>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="111"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="111"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="112"/>
        <source>Parameters (JSON)</source>
        <translation>参数 (JSON)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="141"/>
        <location filename="../../app/ui/rules_screen.py" line="155"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="151"/>
        <source>Could not load the review rules: %1</source>
        <translation>审单规则加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="174"/>
        <source>Run this rule</source>
        <translation>启用此规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="188"/>
        <source>No parameters</source>
        <translation>无参数</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="191"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="193"/>
        <source>▲ Up</source>
        <translation>▲ 上移</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="195"/>
        <source>▼ Down</source>
        <translation>▼ 下移</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="260"/>
        <source>Parameters of %1 are not valid JSON: %2</source>
        <translation>规则 %1 的参数不是有效的 JSON：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="265"/>
        <source>Parameters of %1 must be a JSON object, like %2</source>
        <translation>规则 %1 的参数必须是 JSON 对象，例如 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="285"/>
        <source>Save or undo the changes of these rules first.</source>
        <translation>请先保存或撤销这两条规则的修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="294"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="302"/>
        <source>Saved: %1. It applies to the next orders reviewed.</source>
        <translation>已保存：%1，对接下来审核的订单生效。</translation>
    </message>
</context>
<context>
    <name>WavesScreen</name>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="86"/>
        <source>any carrier</source>
        <translation>任意承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="88"/>
        <source>any zone (A, B, …)</source>
        <translation>任意库区 (A、B…)</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="92"/>
        <source>mix priority bands</source>
        <translation>允许混合优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="93"/>
        <location filename="../../app/ui/waves_screen.py" line="160"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="96"/>
        <source>Release ticked</source>
        <translation>释放所选波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="101"/>
        <location filename="../../app/ui/waves_screen.py" line="141"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="102"/>
        <location filename="../../app/ui/waves_screen.py" line="141"/>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="103"/>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="104"/>
        <source>Zone</source>
        <translation>库区</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="105"/>
        <source>Orders per wave</source>
        <translation>每波订单数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="106"/>
        <source>Cart cells</source>
        <translation>拣货车格数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="112"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="119"/>
        <location filename="../../app/ui/waves_screen.py" line="141"/>
        <source>Band</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="119"/>
        <location filename="../../app/ui/waves_screen.py" line="142"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="119"/>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="119"/>
        <location filename="../../app/ui/waves_screen.py" line="142"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="120"/>
        <source>Bins</source>
        <translation>库位数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="120"/>
        <source>Walk (m)</source>
        <translation>行走 (米)</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="120"/>
        <source>Pick time (min)</source>
        <translation>拣货时间 (分钟)</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="127"/>
        <source>Choose the warehouse, the strategy and the limits, then press Preview: the waves a release would form show here. Tick the ones to release.</source>
        <translation>选择仓库、策略和限制，然后按“预览”：将要生成的波次显示在这里。勾选要释放的波次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="134"/>
        <source>Tick all</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="137"/>
        <source>Untick all</source>
        <translation>全不选</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="141"/>
        <source>Wave</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="142"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="142"/>
        <source>Picked</source>
        <translation>已拣</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="143"/>
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="143"/>
        <source>Minutes (taken / est.)</source>
        <translation>分钟（已用 / 预计）</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="145"/>
        <location filename="../../app/ui/waves_screen.py" line="342"/>
        <source>Cancel wave</source>
        <translation>取消波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="149"/>
        <source>Print pick list</source>
        <translation>打印拣货单</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="174"/>
        <source>Waves</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="238"/>
        <source>%1 waves, %2 orders, %3 units (of %4 routed orders)</source>
        <translation>%1 个波次，%2 单，%3 件（共 %4 个待拣订单）</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="269"/>
        <source>Tick the waves to release first (a click on a row ticks it)</source>
        <translation>请先勾选要释放的波次（点击一行即可勾选）</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="272"/>
        <source>Release waves</source>
        <translation>释放波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="273"/>
        <source>Release %1 of the %2 previewed waves now?</source>
        <translation>现在释放预览中 %2 个波次里的 %1 个？</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="286"/>
        <source>%1 waves released, %2 orders</source>
        <translation>已释放 %1 个波次，%2 单</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="289"/>
        <source>%1 orders were taken by another release</source>
        <translation>%1 单已被其他释放占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="343"/>
        <source>Put the orders of %1 back in the queue?</source>
        <translation>把 %1 的订单放回队列？</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="347"/>
        <source>%1 orders back in the queue</source>
        <translation>%1 单已回到队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="367"/>
        <source>Pick list sent to %1</source>
        <translation>拣货单已发送到 %1</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app/ui/app.py" line="52"/>
        <source>embedded (%1)</source>
        <translation>内置数据库（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="198"/>
        <source>Preparing the embedded database…</source>
        <translation>正在准备内置数据库…</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="203"/>
        <source>Demo data ready: %1 orders</source>
        <translation>演示数据已就绪：%1 单</translation>
    </message>
</context>
<context>
    <name>exceptions</name>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="85"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="86"/>
        <source>Age (h)</source>
        <translation>时长(小时)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="87"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="88"/>
        <source>Channel order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="89"/>
        <source>Category</source>
        <translation>异常类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="90"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="91"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="92"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="11"/>
        <source>New</source>
        <translation>新订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="12"/>
        <source>Pending review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="13"/>
        <source>On hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="14"/>
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="15"/>
        <source>Awaiting balance</source>
        <translation>待尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Awaiting stock</source>
        <translation>待补货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="17"/>
        <source>Ready for wave</source>
        <translation>待组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="18"/>
        <source>In wave</source>
        <translation>已组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="19"/>
        <location filename="../../app/ui/labels.py" line="230"/>
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="20"/>
        <location filename="../../app/ui/labels.py" line="231"/>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21"/>
        <location filename="../../app/ui/labels.py" line="232"/>
        <source>Packing</source>
        <translation>打包中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Packed</source>
        <translation>已打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <location filename="../../app/ui/labels.py" line="189"/>
        <location filename="../../app/ui/labels.py" line="234"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="25"/>
        <source>Merged</source>
        <translation>已合单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="26"/>
        <source>Split</source>
        <translation>已拆单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="34"/>
        <source>Shift lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="35"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Taobao</source>
        <translation>淘宝</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="42"/>
        <source>Tmall</source>
        <translation>天猫</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="43"/>
        <source>JD</source>
        <translation>京东</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="44"/>
        <source>Douyin</source>
        <translation>抖音</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45"/>
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46"/>
        <source>Manual</source>
        <translation>手工单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="52"/>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53"/>
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="54"/>
        <source>Presale</source>
        <translation>预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="55"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56"/>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="62"/>
        <source>Out of stock</source>
        <translation>缺货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63"/>
        <source>Address invalid</source>
        <translation>地址无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="64"/>
        <source>Address ambiguous</source>
        <translation>地址不明确</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65"/>
        <source>Payment incomplete</source>
        <translation>未付清</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Amount mismatch</source>
        <translation>金额不符</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67"/>
        <location filename="../../app/ui/labels.py" line="115"/>
        <source>Blacklist</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68"/>
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="69"/>
        <source>High value</source>
        <translation>高价值</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="70"/>
        <source>Presale over capacity</source>
        <translation>预售超产能</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="71"/>
        <source>Short pick</source>
        <translation>拣货缺货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="72"/>
        <source>Weight mismatch</source>
        <translation>重量不符</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <source>Print failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74"/>
        <source>Intercepted after pack</source>
        <translation>打包后拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <source>Sync conflict</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="76"/>
        <source>Unknown SKU</source>
        <translation>未知商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="77"/>
        <source>Phone invalid</source>
        <translation>电话无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="78"/>
        <source>Receiver incomplete</source>
        <translation>收件信息不全</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="79"/>
        <source>Quantity invalid</source>
        <translation>数量无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <source>No carrier available</source>
        <translation>无可用快递</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="87"/>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="88"/>
        <source>Retry</source>
        <translation>重新处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="89"/>
        <source>Fix address</source>
        <translation>修改地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="90"/>
        <source>Substitute SKU</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="91"/>
        <source>Backorder</source>
        <translation>缺货待补</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="92"/>
        <source>Hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="100"/>
        <source>Not escalated</source>
        <translation>未升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="101"/>
        <source>Over 24 h: notify</source>
        <translation>超过 24 小时：通知相关人员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="102"/>
        <source>Over 48 h: backup supplier or carrier</source>
        <translation>超过 48 小时：启用备用供应商或快递</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="103"/>
        <source>Over 72 h: compensate the buyer</source>
        <translation>超过 72 小时：补偿买家</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="110"/>
        <source>Stock sufficient</source>
        <translation>库存充足</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="111"/>
        <source>Address valid</source>
        <translation>地址有效</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="112"/>
        <source>Payment complete</source>
        <translation>付款完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="113"/>
        <source>Amount consistent with discounts</source>
        <translation>金额与优惠一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="116"/>
        <source>Buyer remark needs a person</source>
        <translation>买家备注人工审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>High value needs review</source>
        <translation>高价值订单人工审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="118"/>
        <source>VIP priority</source>
        <translation>VIP 优先</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="124"/>
        <source>Deposit presale</source>
        <translation>定金预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="125"/>
        <source>Full payment</source>
        <translation>全款预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="138"/>
        <source>○ Stopped</source>
        <translation>○ 已停止</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="139"/>
        <source>… Connecting</source>
        <translation>… 连接中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="140"/>
        <source>✔ Connected</source>
        <translation>✔ 已连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="141"/>
        <source>✖ Disconnected</source>
        <translation>✖ 已断开</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="142"/>
        <source>⚠ Error</source>
        <translation>⚠ 错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="148"/>
        <source>not plugged in or not found</source>
        <translation>未插入或找不到</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="149"/>
        <source>cannot be opened</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="150"/>
        <source>connection lost</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="151"/>
        <source>does not answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="152"/>
        <source>no permission on the port</source>
        <translation>无端口权限</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="153"/>
        <source>port used by another program</source>
        <translation>端口被其他程序占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="154"/>
        <source>settings cannot work</source>
        <translation>设置无法使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="155"/>
        <source>simulated cable pulled</source>
        <translation>模拟线缆已拔出</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="161"/>
        <source>Scanner (serial)</source>
        <translation>扫描枪（串口）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="162"/>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="163"/>
        <source>Scanner (USB keyboard)</source>
        <translation>扫描枪（USB 键盘）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="169"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="170"/>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="171"/>
        <source>Tote</source>
        <translation>周转箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="172"/>
        <source>Put-wall slot</source>
        <translation>播种墙格口</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="173"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="174"/>
        <source>Wave</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="175"/>
        <location filename="../../app/ui/labels.py" line="203"/>
        <source>Waybill</source>
        <translation>运单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="176"/>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="177"/>
        <source>Command card</source>
        <translation>指令卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="178"/>
        <source>Pallet / case (SSCC)</source>
        <translation>托盘/箱（SSCC）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="179"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="185"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="186"/>
        <source>Printing</source>
        <translation>打印中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="187"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="188"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="195"/>
        <source>✔ Ready</source>
        <translation>✔ 正常打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="196"/>
        <source>✖ Not printing</source>
        <translation>✖ 无法打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="197"/>
        <source>○ Not used yet</source>
        <translation>○ 尚未使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="204"/>
        <source>Packing slip</source>
        <translation>销货清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="205"/>
        <source>Pick list</source>
        <translation>拣货单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="206"/>
        <source>Tote / bin label</source>
        <translation>周转箱/库位标签</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="207"/>
        <source>Command cards</source>
        <translation>指令卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="208"/>
        <source>Handover manifest</source>
        <translation>交接清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="209"/>
        <source>Test page</source>
        <translation>测试页</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="215"/>
        <source>Single item, single unit</source>
        <translation>单品单件</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="216"/>
        <source>Single item, several units</source>
        <translation>单品多件</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="217"/>
        <source>Multi-item (put wall)</source>
        <translation>多品（播种墙）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="218"/>
        <source>Pick per order</source>
        <translation>摘果（按单拣）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="219"/>
        <source>By carrier</source>
        <translation>按承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="220"/>
        <source>By zone</source>
        <translation>按库区</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="221"/>
        <source>Presale batch</source>
        <translation>预售批次</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="222"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="223"/>
        <source>Hot item (爆款)</source>
        <translation>爆款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="229"/>
        <source>Released</source>
        <translation>已释放</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="233"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="22"/>
        <source>Tick the waves to release first.</source>
        <translation>请先勾选要释放的波次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>The preview has changed: preview again.</source>
        <translation>预览已变化：请重新预览。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>{wave}: picking has started, it can no longer be cancelled.</source>
        <translation>{wave}：已开始拣货，不能再取消。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>{wave} is not being picked now.</source>
        <translation>{wave} 当前不在拣货中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="30"/>
        <source>{wave} is being picked by another picker.</source>
        <translation>{wave} 正由其他拣货员拣货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>{wave}: {units} units are picked already. Hand the wave back instead, or call the shift lead.</source>
        <translation>{wave}：已拣 {units} 件。请改为交还波次，或联系组长。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>There is no warehouse {warehouse} or no carrier {carrier}.</source>
        <translation>没有仓库 {warehouse} 或承运商 {carrier}。</translation>
    </message>
</context>
<context>
    <name>nav</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="98"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="102"/>
        <source>Exceptions</source>
        <translation>异常处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="104"/>
        <source>Presale</source>
        <translation>预售活动</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="106"/>
        <source>Review rules</source>
        <translation>审单规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="109"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="111"/>
        <source>Waves</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="113"/>
        <source>Picking</source>
        <translation>拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="115"/>
        <source>Packing</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="122"/>
        <source>Handover</source>
        <translation>交接</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="126"/>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>orderDetail</name>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="371"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="372"/>
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="373"/>
        <source>Intercepted</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="374"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="375"/>
        <source>discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="376"/>
        <source>Presale</source>
        <translation>预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="377"/>
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="378"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="379"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="380"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="381"/>
        <source>unknown SKU</source>
        <translation>未知商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="382"/>
        <source>Packages</source>
        <translation>包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="383"/>
        <source>Split from</source>
        <translation>拆分自</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="384"/>
        <source>Split into</source>
        <translation>拆分为</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="385"/>
        <source>Merged from</source>
        <translation>合并自</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="386"/>
        <source>History</source>
        <translation>操作记录</translation>
    </message>
</context>
<context>
    <name>orders</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="50"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="51"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="52"/>
        <source>Channel order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="53"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="54"/>
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="55"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="56"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="57"/>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="58"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="59"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="60"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="61"/>
        <source>Carrier</source>
        <translation>快递</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="62"/>
        <source>Paid</source>
        <translation>付款时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="63"/>
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="64"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
</context>
<context>
    <name>rules</name>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="43"/>
        <source>tolerance_fen: difference allowed between the order amount and its lines minus discounts, in fen (1 yuan = 100 fen)</source>
        <translation>tolerance_fen：订单金额与商品金额减优惠之间允许的差额，单位为分（1 元 = 100 分）</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="46"/>
        <source>threshold_fen: orders above this amount, in fen, wait for a person (500000 = 5,000 yuan)</source>
        <translation>threshold_fen：订单金额超过此值（单位：分）时需人工审核（500000 = 5,000 元）</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="49"/>
        <source>ignore: buyer remarks that need no person, as a list of phrases</source>
        <translation>ignore：无需人工处理的买家备注，短语列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="51"/>
        <source>min_level: the lowest VIP level that gets priority (0-10)</source>
        <translation>min_level：享受优先处理的最低 VIP 等级（0-10）</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <location filename="../../app/ui/widgets.py" line="68"/>
        <source>Central database unreachable: %1</source>
        <translation>无法连接中心数据库：%1</translation>
    </message>
</context>
</TS>
