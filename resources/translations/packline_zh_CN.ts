<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../app/ui/login.py" line="37" />
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="44" />
        <source>Scan your badge, or enter your user code and password</source>
        <translation>请扫描工牌，或输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="49" />
        <source>User code or badge</source>
        <translation>工号或工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="53" />
        <location filename="../../app/ui/login.py" line="64" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="54" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="63" />
        <source>User</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="74" />
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="100" />
        <source>Enter user code and password</source>
        <translation>请输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="106" />
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="120" />
        <source>Login refused: unknown user, wrong password or unknown badge</source>
        <translation>登录失败：工号不存在、密码错误或工牌无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="123" />
        <source>Central database unreachable: %1</source>
        <translation>无法连接中心数据库：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="51" />
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="66" />
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="67" />
        <source>Central: %1</source>
        <translation>中心库：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="73" />
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="78" />
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="80" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="109" />
        <source>Your role has no screens on this station.</source>
        <translation>您的角色在此工位没有可用的界面。</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="47" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="52" />
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="57" />
        <source>Spot and presale</source>
        <translation>现货和预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="58" />
        <source>Presale only</source>
        <translation>仅预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="59" />
        <source>Spot only</source>
        <translation>仅现货</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="63" />
        <source>Order no., channel order no., phone or buyer — Enter to search</source>
        <translation>订单号、平台单号、手机号或买家——回车搜索</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="65" />
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="101" />
        <source>Select an order to see its lines and history</source>
        <translation>选择订单查看明细和操作记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="124" />
        <location filename="../../app/ui/orders_screen.py" line="141" />
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="157" />
        <source>%1 orders · loaded in %2 ms</source>
        <translation>共 %1 单 · 加载 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="164" />
        <source>Could not load orders: %1</source>
        <translation>订单加载失败：%1</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app/ui/app.py" line="49" />
        <source>embedded (%1)</source>
        <translation>内置数据库（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="88" />
        <source>Preparing the embedded database…</source>
        <translation>正在准备内置数据库…</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="93" />
        <source>Demo data ready: %1 orders</source>
        <translation>演示数据已就绪：%1 单</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="12" />
        <source>New</source>
        <translation>新订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="13" />
        <source>Pending review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="14" />
        <source>On hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="15" />
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="16" />
        <source>Awaiting balance</source>
        <translation>待尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="17" />
        <source>Awaiting stock</source>
        <translation>待补货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="18" />
        <source>Ready for wave</source>
        <translation>待组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="19" />
        <source>In wave</source>
        <translation>已组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="20" />
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21" />
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22" />
        <source>Packing</source>
        <translation>打包中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23" />
        <source>Packed</source>
        <translation>已打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24" />
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="25" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="26" />
        <source>Merged</source>
        <translation>已合单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="27" />
        <source>Split</source>
        <translation>已拆单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33" />
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="34" />
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="35" />
        <source>Shift lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="36" />
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="42" />
        <source>Taobao</source>
        <translation>淘宝</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="43" />
        <source>Tmall</source>
        <translation>天猫</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="44" />
        <source>JD</source>
        <translation>京东</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="45" />
        <source>Douyin</source>
        <translation>抖音</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="46" />
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="47" />
        <source>Manual</source>
        <translation>手工单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="53" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="54" />
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="55" />
        <source>Presale</source>
        <translation>预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="56" />
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="57" />
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="63" />
        <source>Out of stock</source>
        <translation>缺货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="64" />
        <source>Address invalid</source>
        <translation>地址无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="65" />
        <source>Address ambiguous</source>
        <translation>地址不明确</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66" />
        <source>Payment incomplete</source>
        <translation>未付清</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="67" />
        <source>Amount mismatch</source>
        <translation>金额不符</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="68" />
        <source>Blacklist</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="69" />
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="70" />
        <source>High value</source>
        <translation>高价值</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="71" />
        <source>Presale over capacity</source>
        <translation>预售超产能</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="72" />
        <source>Short pick</source>
        <translation>拣货缺货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73" />
        <source>Weight mismatch</source>
        <translation>重量不符</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="74" />
        <source>Print failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75" />
        <source>Intercepted after pack</source>
        <translation>打包后拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="76" />
        <source>Sync conflict</source>
        <translation>同步冲突</translation>
    </message>
</context>
<context>
    <name>nav</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="41" />
        <source>Orders</source>
        <translation>订单</translation>
    </message>
</context>
<context>
    <name>orderDetail</name>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="183" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="184" />
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="185" />
        <source>Intercepted</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="186" />
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="187" />
        <source>discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="188" />
        <source>Presale</source>
        <translation>预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="189" />
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="190" />
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="191" />
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="192" />
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="193" />
        <source>unknown SKU</source>
        <translation>未知商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="194" />
        <source>Packages</source>
        <translation>包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="195" />
        <source>Split from</source>
        <translation>拆分自</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="196" />
        <source>Split into</source>
        <translation>拆分为</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="197" />
        <source>Merged from</source>
        <translation>合并自</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="198" />
        <source>History</source>
        <translation>操作记录</translation>
    </message>
</context>
<context>
    <name>orders</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="49" />
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="50" />
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="51" />
        <source>Channel order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="52" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="53" />
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="54" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="55" />
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="56" />
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="57" />
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="58" />
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="59" />
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="60" />
        <source>Carrier</source>
        <translation>快递</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="61" />
        <source>Paid</source>
        <translation>付款时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="62" />
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="63" />
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
</context>
</TS>