<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="119"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="130"/>
        <source>4 to 8 digits</source>
        <translation>4 到 8 位数字</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="132"/>
        <source>User code</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="133"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="134"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="135"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="136"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="137"/>
        <source>PIN (shift lead, admin)</source>
        <translation>PIN（组长、管理员）</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="149"/>
        <source>Enter the user code</source>
        <translation>请输入工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="150"/>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="154"/>
        <source>A shift lead or an admin needs a PIN for the badge</source>
        <translation>组长或管理员刷工牌需要 PIN</translation>
    </message>
</context>
<context>
    <name>ApprovalPanel</name>
    <message>
        <location filename="../../app/ui/approval.py" line="73"/>
        <source>Scan your badge or type your user code</source>
        <translation>刷工牌或输入工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/approval.py" line="77"/>
        <location filename="../../app/ui/approval.py" line="91"/>
        <source>PIN or password</source>
        <translation>PIN 或密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/approval.py" line="78"/>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <location filename="../../app/ui/approval.py" line="80"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/approval.py" line="90"/>
        <source>Badge or user</source>
        <translation>工牌或工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/approval.py" line="142"/>
        <source>Scan your badge and enter your PIN, or type your user code and password</source>
        <translation>请扫工牌并输入 PIN 码，或输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/approval.py" line="149"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>BadgeDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="219"/>
        <source>Issue a badge to %1</source>
        <translation>为 %1 发放工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="220"/>
        <source>The new badge replaces the old one, which stops working. It is not shown here: its card is made at once.</source>
        <translation>新工牌取代旧工牌，旧工牌立即失效。工牌内容不在屏幕上显示：将直接生成工牌卡片。</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="224"/>
        <source>Print the card on %1</source>
        <translation>在 %1 上打印卡片</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="230"/>
        <source>PDF file for the card</source>
        <translation>卡片的 PDF 文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="231"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="237"/>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="248"/>
        <source>Save the badge card</source>
        <translation>保存工牌卡片</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="249"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="255"/>
        <source>Choose a file for the card, or the printer</source>
        <translation>请选择卡片文件或打印机</translation>
    </message>
</context>
<context>
    <name>CampaignsScreen</name>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="82"/>
        <source>Presale orders draw on each campaign&apos;s own pool, never on spot stock. A campaign is warned when its pool is 90% used or an order did not fit.</source>
        <translation>预售订单只占用各活动自己的虚拟库存池，不占用现货库存。库存池用量达到 90% 或有订单超出产能时，活动显示预警。</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="85"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="93"/>
        <source>Campaign / kind</source>
        <translation>活动 / 类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="93"/>
        <source>Name / SKU</source>
        <translation>名称 / 商品编码</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="94"/>
        <source>Terms / buyer pays for 1 unit</source>
        <translation>价格条款 / 买 1 件实付</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="94"/>
        <source>Pool used</source>
        <translation>库存池用量</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="94"/>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="95"/>
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="95"/>
        <source>Awaiting
balance</source>
        <translation>待尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="95"/>
        <source>Ready
for wave</source>
        <translation>待组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="96"/>
        <source>Exceptions</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="111"/>
        <source>Supplier board</source>
        <translation>供应商看板</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="113"/>
        <source>Demand report</source>
        <translation>需求报表</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="119"/>
        <source>The supplier&apos;s deliveries against the presale demand, day by day</source>
        <translation>供应商到货与预售需求逐日对比</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="121"/>
        <source>The supplier board is not part of this version</source>
        <translation>此版本不含供应商看板</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="123"/>
        <source>Deposits, balances paid and conversion; demand by day, province, SKU and option; export for the supplier</source>
        <translation>定金、已付尾款与转化率；按日、省份、SKU 和规格的需求；可导出给供应商</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="134"/>
        <source>Stock ledger</source>
        <translation>库存台账</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="138"/>
        <source>The SKU&apos;s stock per warehouse: on hand, spot and presale reservations, free, put-backs and pre-packed parcels</source>
        <translation>该 SKU 各仓库存：在库、现货占用与预售占用、可用、回库任务和预打包包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="140"/>
        <source>Pre-pack wave…</source>
        <translation>预打包波次…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="144"/>
        <source>Release waves to pick and pack the deposit orders before their balance (real-stock campaigns)</source>
        <translation>释放波次，在尾款支付前拣货并打包定金订单（真实库存预占活动）</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="146"/>
        <source>Your role may not release waves</source>
        <translation>您的角色无权释放波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="147"/>
        <source>Close campaign…</source>
        <translation>结束活动…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="151"/>
        <source>After the balance window: cancel the unpaid orders and unpack their parcels (asks first)</source>
        <translation>尾款期结束后：取消未付尾款的订单并拆包其包裹（会先确认）</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="153"/>
        <source>Your role may not change an order&apos;s status</source>
        <translation>您的角色不能修改订单状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="154"/>
        <source>Stock mode…</source>
        <translation>库存模式…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="158"/>
        <source>Virtual pool or real stock reserved; only while the campaign has no orders</source>
        <translation>虚拟库存池或真实库存预占；仅在活动还没有订单时可改</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="159"/>
        <source>Your role may not edit the rules</source>
        <translation>您的角色无权修改规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="192"/>
        <source>Load the list again</source>
        <translation>重新加载列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="194"/>
        <location filename="../../app/ui/campaigns_screen.py" line="382"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="203"/>
        <source>Could not load the presale campaigns: %1</source>
        <translation>预售活动加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="279"/>
        <source>Releasing pre-pack waves of %1 in %2…</source>
        <translation>正在为 %1 在 %2 释放预打包波次…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="286"/>
        <source>No order of this campaign is waiting to be pre-packed in that warehouse.</source>
        <translation>该仓库中没有此活动待预打包的订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="290"/>
        <source>%1: %2 orders, %3 units</source>
        <translation>%1：%2 单，%3 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="292"/>
        <source>%1 pre-pack waves released (%2 orders, %3 units): %4</source>
        <translation>已释放 %1 个预打包波次（%2 单，%3 件）：%4</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="302"/>
        <source>Close campaign</source>
        <translation>结束活动</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="303"/>
        <source>Close %1? Every order whose balance was not paid is cancelled, and its pre-packed parcel is unpacked into put-back tasks; their stock and pool units are given back. Paid orders ship. This cannot be undone.</source>
        <translation>结束 %1？所有未付尾款的订单将被取消，已预打包的包裹将拆包并生成回库任务；其库存和库存池数量将退回。已付尾款的订单照常发货。此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="308"/>
        <source>Closing %1…</source>
        <translation>正在结束 %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="313"/>
        <source>%1 closed: %2 orders looked at, %3 paid and kept, %4 cancelled, %5 taken out of waves, %6 unpacked; %7 units to put back in %8 tasks</source>
        <translation>%1 已结束：检查 %2 单，%3 单已付尾款保留，%4 单取消，%5 单移出波次，%6 单拆包；%7 件待回库，共 %8 个任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="336"/>
        <source>Setting the stock mode of %1…</source>
        <translation>正在设置 %1 的库存模式…</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="339"/>
        <source>%1: stock mode set to %2</source>
        <translation>%1：库存模式已设为%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="377"/>
        <source>Virtual pool</source>
        <translation>虚拟库存池</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="378"/>
        <source>Real stock reserved</source>
        <translation>真实库存预占</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="392"/>
        <source>Real stock reserved: each deposit reserves units in the warehouse, which may be packed before the balance</source>
        <translation>真实库存预占：每笔定金预占仓内实物库存，可在付尾款前预打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="395"/>
        <source>Virtual pool: deposits draw on the supplier&apos;s capacity, no real stock is reserved</source>
        <translation>虚拟库存池：定金占用供应商产能，不预占实物库存</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="403"/>
        <source>⚠ Warning</source>
        <translation>⚠ 预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="411"/>
        <source>Pool nearly full or an order did not fit: check supplier capacity</source>
        <translation>库存池将满或有订单超出产能：请核对供应商产能</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="420"/>
        <source>%1 campaigns · %2 warned</source>
        <translation>共 %1 个活动 · %2 个预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="477"/>
        <source>%1% of the pool reserved</source>
        <translation>库存池已占用 %1%</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="489"/>
        <source>%1, paid in full</source>
        <translation>%1，全款支付</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="490"/>
        <source>%1 · deposit %2 counts %3</source>
        <translation>%1 · 定金 %2 抵 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="493"/>
        <source>balance −%1</source>
        <translation>尾款立减 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="495"/>
        <source>%1 units or more: −%2</source>
        <translation>满 %1 件：−%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="504"/>
        <source>Terms invalid: check this campaign&apos;s settings</source>
        <translation>规则无效：请检查该活动的设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="507"/>
        <source>deposit %1 + balance %2 = %3</source>
        <translation>定金 %1 + 尾款 %2 = %3</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="245"/>
        <source>Refresh (Ctrl+R)</source>
        <translation>刷新 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="258"/>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="259"/>
        <location filename="../../app/ui/dashboard_screen.py" line="325"/>
        <location filename="../../app/ui/dashboard_screen.py" line="349"/>
        <source>Forecast</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="260"/>
        <source>Throughput</source>
        <translation>产能</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="261"/>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="262"/>
        <source>Health</source>
        <translation>设备状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="282"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="316"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="316"/>
        <location filename="../../app/ui/dashboard_screen.py" line="319"/>
        <location filename="../../app/ui/dashboard_screen.py" line="484"/>
        <location filename="../../app/ui/dashboard_screen.py" line="490"/>
        <location filename="../../app/ui/dashboard_screen.py" line="553"/>
        <location filename="../../app/ui/dashboard_screen.py" line="596"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="319"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="322"/>
        <location filename="../../app/ui/dashboard_screen.py" line="662"/>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="322"/>
        <source>Cut-off</source>
        <translation>截单时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="322"/>
        <source>To do</source>
        <translation>待作业</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="322"/>
        <location filename="../../app/ui/dashboard_screen.py" line="682"/>
        <source>Packed</source>
        <translation>已打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="323"/>
        <location filename="../../app/ui/dashboard_screen.py" line="485"/>
        <source>Will miss</source>
        <translation>将错过</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="325"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="330"/>
        <source>Not escalated</source>
        <translation>未升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="330"/>
        <source>Over 24 h</source>
        <translation>超24小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="330"/>
        <source>Over 48 h</source>
        <translation>超48小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="331"/>
        <source>Over 72 h</source>
        <translation>超72小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="342"/>
        <source>Backlog</source>
        <translation>积压</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="347"/>
        <source>Carriers and their cut-offs</source>
        <translation>承运商与截单时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="351"/>
        <source>Exception queue</source>
        <translation>异常队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="382"/>
        <source>Packed an hour: last hour / shift</source>
        <translation>每小时打包：近一小时 / 本班</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="383"/>
        <source>Picked an hour: last hour / shift</source>
        <translation>每小时拣货：近一小时 / 本班</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="384"/>
        <source>Backlog clears</source>
        <translation>积压清完时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="385"/>
        <source>Will miss the promised ship time</source>
        <translation>将超承诺发货时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="386"/>
        <source>Already overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="387"/>
        <source>Orders a day at the shift&apos;s rate</source>
        <translation>按本班速度每日可完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="417"/>
        <source>Staffing this shift</source>
        <translation>本班人力</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="439"/>
        <source>not measured</source>
        <translation>未测得</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="440"/>
        <source> orders/h</source>
        <translation> 单/小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="442"/>
        <source>measured today</source>
        <translation>按今日实测</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="447"/>
        <source>One person</source>
        <translation>每人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="456"/>
        <source>Needed</source>
        <translation>需要</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="458"/>
        <source>Here</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="460"/>
        <source>Gap</source>
        <translation>缺口</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="470"/>
        <source>Reserve</source>
        <translation>预留</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="473"/>
        <source>People = orders ÷ (one person&apos;s rate × shift hours) × (1 + reserve), rounded up.</source>
        <translation>人数 = 订单数 ÷ (每人每小时 × 班次小时) × (1 + 预留)，向上取整。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="482"/>
        <location filename="../../app/ui/dashboard_screen.py" line="490"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="482"/>
        <source>Carried in</source>
        <translation>结转</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="482"/>
        <location filename="../../app/ui/dashboard_screen.py" line="503"/>
        <source>Presale balances arriving</source>
        <translation>预售尾款到达</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="483"/>
        <source>Capacity</source>
        <translation>产能</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="483"/>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="483"/>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="484"/>
        <source>Due by</source>
        <translation>承诺时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="490"/>
        <location filename="../../app/ui/dashboard_screen.py" line="492"/>
        <source>Campaign</source>
        <translation>预售活动</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="492"/>
        <source>Pool used</source>
        <translation>库存池用量</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="492"/>
        <source>Awaiting balance</source>
        <translation>待尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="493"/>
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="499"/>
        <source>Day by day</source>
        <translation>逐日预测</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="500"/>
        <source>Orders that will miss their promised ship time, by hour</source>
        <translation>按小时：将超承诺发货时间的订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="505"/>
        <source>Presale pools near capacity</source>
        <translation>接近上限的预售库存池</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="538"/>
        <source>%1 last week</source>
        <translation>上周同日%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="549"/>
        <source>Hour (China time)</source>
        <translation>小时（北京时间）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="573"/>
        <source>Hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="574"/>
        <source>Last week</source>
        <translation>上周同日</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="579"/>
        <source>Click a bar, or a count in the table, for the orders of that hour.</source>
        <translation>点击柱子或表中的数字，查看该小时的订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="596"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="596"/>
        <source>Work</source>
        <translation>作业</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="596"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="597"/>
        <source>Hours</source>
        <translation>小时数</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="597"/>
        <source>Orders/h</source>
        <translation>单/小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="597"/>
        <source>Units/h</source>
        <translation>件/小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="601"/>
        <source>11.11 planning</source>
        <translation>双11人力规划</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="628"/>
        <source>A normal day&apos;s orders</source>
        <translation>平日日单量</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="629"/>
        <source>× growth</source>
        <translation>× 增长倍数</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="629"/>
        <source>× conversion</source>
        <translation>× 转化率</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="630"/>
        <source>= orders on the day</source>
        <translation>= 当日单量</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="631"/>
        <source>Packers needed</source>
        <translation>需要打包员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="632"/>
        <source>Pickers needed</source>
        <translation>需要拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="636"/>
        <source>At today&apos;s rates (or those typed on the Now tab), a whole day of shifts, with the reserve.</source>
        <translation>按今日速度（或“当前”页填写的速度），全天各班次，含预留。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="644"/>
        <source>Each person&apos;s work today</source>
        <translation>今日每人作业</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="656"/>
        <location filename="../../app/ui/dashboard_screen.py" line="659"/>
        <source>Station</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="656"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="656"/>
        <location filename="../../app/ui/dashboard_screen.py" line="659"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="656"/>
        <source>Last seen</source>
        <translation>最近在线</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="657"/>
        <location filename="../../app/ui/dashboard_screen.py" line="659"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="657"/>
        <source>Behind</source>
        <translation>滞后</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="657"/>
        <source>Refused</source>
        <translation>被拒</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="659"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="660"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="662"/>
        <source>Free numbers</source>
        <translation>可用单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="662"/>
        <source>Last about</source>
        <translation>约可用</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="671"/>
        <source>Stations</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="673"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="675"/>
        <source>Tracking-number pools</source>
        <translation>快递单号池</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="682"/>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="683"/>
        <source>Handed over</source>
        <translation>已交接</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="730"/>
        <source>Could not read the dashboard: %1</source>
        <translation>无法读取看板：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="772"/>
        <source>updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="775"/>
        <source>orders counted %1</source>
        <translation>订单统计于 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="781"/>
        <source>Shift %1 · %2–%3</source>
        <translation>%1 · %2–%3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="799"/>
        <source>replica not answering: read from the primary</source>
        <translation>只读副本无应答：改从主库读取</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="801"/>
        <source>the read replica is not a standby</source>
        <translation>只读副本不是备库</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="803"/>
        <source>replica %1 KB behind</source>
        <translation>只读副本落后 %1 KB</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="806"/>
        <source>replica %1 s behind</source>
        <translation>只读副本落后 %1 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="807"/>
        <source> (replay paused)</source>
        <translation>（回放已暂停）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="817"/>
        <source>day</source>
        <translation>白班</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="817"/>
        <source>night</source>
        <translation>夜班</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="822"/>
        <source>%1 to pick and pack · %2 packed · %3 blocked · %4 awaiting balance</source>
        <translation>待拣待打包 %1 · 已打包 %2 · 受阻 %3 · 待尾款 %4</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="845"/>
        <source>tomorrow %1</source>
        <translation>明天 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="850"/>
        <source>No carrier yet</source>
        <translation>尚无承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="858"/>
        <source>nothing waiting</source>
        <translation>无积压</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="859"/>
        <source>not at this rate</source>
        <translation>按此速度无法完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="890"/>
        <source>At the faster and the slower of the two packing rates; %1 already overdue.</source>
        <translation>按两种打包速度（较快与较慢）计算；已超时 %1 单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="901"/>
        <source>%1 of %2 campaigns near capacity</source>
        <translation>%2 个活动中有 %1 个接近上限</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="910"/>
        <source>%1 orders to pick and pack; a shift of %2 hours.</source>
        <translation>待拣待打包 %1 单；每班 %2 小时。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="920"/>
        <source>%1 a person a shift</source>
        <translation>每人每班 %1 单</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="922"/>
        <source>%1 (%2 working now)</source>
        <translation>%1（正在作业 %2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="924"/>
        <source>%1 logged in this shift</source>
        <translation>本班已登录 %1 人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="930"/>
        <source>%1 short</source>
        <translation>缺 %1 人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="932"/>
        <source>%1 to spare</source>
        <translation>富余 %1 人</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="934"/>
        <source>just right</source>
        <translation>刚好</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="945"/>
        <source>Today: picked %1 · packed %2 · handed over %3.   Same weekday last week by this time: %4 · %5 · %6</source>
        <translation>今日：拣货 %1 · 打包 %2 · 交接 %3。   上周同日同时段：%4 · %5 · %6</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="975"/>
        <source>Picking</source>
        <translation>拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="975"/>
        <source>Packing</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="987"/>
        <source>No open exceptions.</source>
        <translation>没有未处理的异常。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="989"/>
        <source>Oldest open for %1 (since %2)</source>
        <translation>最早的已等待 %1（自 %2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="998"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1000"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1001"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1005"/>
        <source>%1 stations online · %2 offline</source>
        <translation>工作站在线 %1 · 离线 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1007"/>
        <source>packing</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1007"/>
        <source>picking</source>
        <translation>拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1008"/>
        <source>office</source>
        <translation>办公室</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1008"/>
        <source>dock</source>
        <translation>月台</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1009"/>
        <source>● online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1009"/>
        <source>○ offline</source>
        <translation>○ 离线</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1019"/>
        <source>✔ ready</source>
        <translation>✔ 就绪</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1019"/>
        <source>✖ failed</source>
        <translation>✖ 故障</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1020"/>
        <source>○ station offline</source>
        <translation>○ 工作站离线</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1020"/>
        <source>not used yet</source>
        <translation>尚未使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1029"/>
        <source>no packing measured</source>
        <translation>未测得打包速度</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1030"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1036"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1071"/>
        <source>Status %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1075"/>
        <source>%1, to pick and pack</source>
        <translation>%1，待拣待打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1078"/>
        <source>%1 %2, to pick and pack</source>
        <translation>%1 %2，待拣待打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1082"/>
        <source>No carrier yet, to pick and pack</source>
        <translation>尚无承运商，待拣待打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1086"/>
        <source>Open exceptions, %1</source>
        <translation>未处理异常：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1090"/>
        <location filename="../../app/ui/dashboard_screen.py" line="1120"/>
        <source>To pick and pack, due before %1</source>
        <translation>待拣待打包，%1 前到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1103"/>
        <source>Picked %1</source>
        <translation>%1 拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1106"/>
        <source>Packed %1</source>
        <translation>%1 打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1108"/>
        <source>Handed over %1</source>
        <translation>%1 交接</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1116"/>
        <source>Already overdue, to pick and pack</source>
        <translation>已超时，待拣待打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="1124"/>
        <source>To pick and pack</source>
        <translation>待拣待打包</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="97"/>
        <location filename="../../app/ui/devices_screen.py" line="170"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="97"/>
        <location filename="../../app/ui/devices_screen.py" line="171"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="98"/>
        <location filename="../../app/ui/devices_screen.py" line="172"/>
        <location filename="../../app/ui/devices_screen.py" line="193"/>
        <source>URL</source>
        <translation>地址 (URL)</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="98"/>
        <location filename="../../app/ui/devices_screen.py" line="118"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="98"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="101"/>
        <source>New device</source>
        <translation>新增设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="102"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="103"/>
        <source>Reconnect all</source>
        <translation>全部重新连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="118"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="118"/>
        <source>Print component</source>
        <translation>打印组件</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="119"/>
        <source>Printers it offers</source>
        <translation>组件提供的打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="126"/>
        <source>Ask the components again</source>
        <translation>重新询问打印组件</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="129"/>
        <source>Print components</source>
        <translation>打印组件</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="157"/>
        <source>none: any fast burst is a scan</source>
        <translation>无：任何快速连续输入都算扫码</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="160"/>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="160"/>
        <source>Tab</source>
        <translation>Tab 键</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="161"/>
        <source>none (pause ends the scan)</source>
        <translation>无（停顿即结束）</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="163"/>
        <source>Take scans out of typing fields</source>
        <translation>扫描内容不进入输入框</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="165"/>
        <source>Save to station settings</source>
        <translation>保存到工位设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="174"/>
        <source>Steady for</source>
        <translation>稳定时长</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="175"/>
        <source>Tolerance</source>
        <translation>允许波动</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="176"/>
        <source>GS replacement</source>
        <translation>GS 分隔符替代字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="177"/>
        <source>Keys at most</source>
        <translation>按键间隔不超过</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="178"/>
        <source>Shortest code</source>
        <translation>最短条码长度</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="179"/>
        <source>Starts with</source>
        <translation>前缀</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="180"/>
        <source>Ends with</source>
        <translation>结束符</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="184"/>
        <source>Device settings</source>
        <translation>设备设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="191"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="191"/>
        <source>USB id</source>
        <translation>USB 标识</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="192"/>
        <source>Serial no.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="192"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="196"/>
        <source>Double-click a port to use it for the device.</source>
        <translation>双击端口即可用于当前设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="199"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="199"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="199"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="200"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="200"/>
        <source>Symbology</source>
        <translation>码制</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="201"/>
        <source>Batch</source>
        <translation>批号</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="201"/>
        <source>Expiry</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="202"/>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="202"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="219"/>
        <source>no sim:// scanner</source>
        <translation>无 sim:// 扫描枪</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="222"/>
        <source>Barcode to scan</source>
        <translation>要扫描的条码</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="223"/>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="232"/>
        <source>no sim:// scale</source>
        <translation>无 sim:// 电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="235"/>
        <location filename="../../app/ui/devices_screen.py" line="608"/>
        <source>steady</source>
        <translation>稳定</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="237"/>
        <source>Put on scale</source>
        <translation>放上秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="240"/>
        <location filename="../../app/ui/devices_screen.py" line="657"/>
        <source>Pull cable</source>
        <translation>拔掉线缆</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="243"/>
        <source>Simulated devices (training)</source>
        <translation>模拟设备（培训）</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="252"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="252"/>
        <source>New box</source>
        <translation>新箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="272"/>
        <source>Devices of this station</source>
        <translation>本工位设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="277"/>
        <source>Serial ports</source>
        <translation>串口</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="282"/>
        <source>Live test: last scans</source>
        <translation>实时测试：最近扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="285"/>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="324"/>
        <source>Asking…</source>
        <translation>正在询问…</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="330"/>
        <source>Cainiao</source>
        <translation>菜鸟</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="330"/>
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="331"/>
        <source>Douyin</source>
        <translation>抖店</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="331"/>
        <source>Kuaishou</source>
        <translation>快手</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="339"/>
        <source>Not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="341"/>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="344"/>
        <source>Running, %1 not offered</source>
        <translation>运行中，但未提供打印机 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="377"/>
        <source>Not started: its settings cannot work</source>
        <translation>未启动：其设置无法使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="482"/>
        <source>%1, %2 baud, ends with %3</source>
        <translation>%1，%2 波特，结束符 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="516"/>
        <source>Saved; %1 reconnects now</source>
        <translation>已保存；%1 正在重新连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="522"/>
        <source>Not saved: this account may not change the station settings file (%1). On Windows only an administrator may: ask IT.</source>
        <translation>未保存：此账户无权修改工作站设置文件（%1）。在 Windows 上只有管理员可以修改，请联系 IT。</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="529"/>
        <source>Remove device</source>
        <translation>删除设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="530"/>
        <source>Remove %1 from this station?</source>
        <translation>从本工位删除 %1？</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="548"/>
        <source>Plugged in: %1</source>
        <translation>已插入：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="551"/>
        <source>Unplugged: %1</source>
        <translation>已拔出：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="592"/>
        <source>no reading from the scale yet</source>
        <translation>电子秤尚无读数</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="593"/>
        <source>no scale on this station</source>
        <translation>本工位没有电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="602"/>
        <source>⚠ over range</source>
        <translation>⚠ 超量程</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="604"/>
        <source>⚠ below zero</source>
        <translation>⚠ 低于零点</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="606"/>
        <source>~ moving</source>
        <translation>~ 晃动中</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="616"/>
        <source>✔ settled</source>
        <translation>✔ 已稳定</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="632"/>
        <source>Add a device with the URL sim:// to train without hardware</source>
        <translation>添加地址为 sim:// 的设备，无需硬件即可培训</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="646"/>
        <source>%1 is unplugged</source>
        <translation>%1 已断开</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices_screen.py" line="657"/>
        <source>Put cable back</source>
        <translation>插回线缆</translation>
    </message>
</context>
<context>
    <name>ExceptionsScreen</name>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="228"/>
        <source>All exceptions</source>
        <translation>全部异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="229"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="230"/>
        <source>Escalate now</source>
        <translation>立即升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="233"/>
        <source>Raise the level of every exception older than 24, 48 or 72 hours</source>
        <translation>将超过 24、48、72 小时的异常升到相应级别</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="236"/>
        <source>Category</source>
        <translation>异常类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="275"/>
        <source>Load the list again</source>
        <translation>重新加载列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="280"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="301"/>
        <source>Note, kept with the resolution (optional)</source>
        <translation>备注（选填），随处理结果保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="316"/>
        <source>Correct the receiver</source>
        <translation>修改收件信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="321"/>
        <source>Name</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="321"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="322"/>
        <source>Province</source>
        <translation>省</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="322"/>
        <source>City</source>
        <translation>市</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="323"/>
        <source>District</source>
        <translation>区/县</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="323"/>
        <source>Street address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="333"/>
        <source>Ship another SKU instead</source>
        <translation>改发其他商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="340"/>
        <source>SKU code, e.g. SKU-00042</source>
        <translation>商品编码，例如 SKU-00042</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="343"/>
        <source>Replace</source>
        <translation>原商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="344"/>
        <source>With</source>
        <translation>改发</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="348"/>
        <source>Your role can look at the exception queue but not resolve exceptions.</source>
        <translation>您的角色可以查看异常队列，但不能处理异常。</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="386"/>
        <source>Could not load the exception queue: %1</source>
        <translation>异常队列加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="394"/>
        <source>All exceptions (%1)</source>
        <translation>全部异常 (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="423"/>
        <source>No exception selected</source>
        <translation>未选择异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="457"/>
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="457"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="458"/>
        <source>Raised</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="519"/>
        <source>Give the SKU to replace and the SKU to ship.</source>
        <translation>请填写要替换的商品和改发的商品。</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="522"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="523"/>
        <source>Cancel order %1? Its reserved stock is given back and it will not ship.</source>
        <translation>确定取消订单 %1？已占用的库存将释放，订单不再发货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="528"/>
        <source>Working on %1…</source>
        <translation>正在处理 %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="537"/>
        <source>%1: %2 — now %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="566"/>
        <source>Escalated: %1</source>
        <translation>已升级：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="568"/>
        <source>Nothing to escalate: no exception passed a threshold.</source>
        <translation>无需升级：没有异常超过时限。</translation>
    </message>
</context>
<context>
    <name>HandoverScreen</name>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="67"/>
        <source>Scan a parcel&apos;s waybill</source>
        <translation>扫描包裹运单</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="85"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="87"/>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="96"/>
        <source>Packed but not scanned yet</source>
        <translation>已打包但尚未扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="160"/>
        <source>Parcels waiting: %1</source>
        <translation>待交接包裹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="51"/>
        <source>Start loading (F2)</source>
        <translation>开始装车 (F2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="78"/>
        <source>Close and print the manifest (F4)</source>
        <translation>结束交接并打印交接清单 (F4)</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="162"/>
        <source>Press Start loading (F2), then scan each parcel onto the truck</source>
        <translation>按“开始装车”(F2)，然后逐个扫描包裹装车</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="164"/>
        <source>No parcel of this carrier is waiting here</source>
        <translation>本仓没有该承运商的待交接包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="187"/>
        <source>%1 · %2 loading: scan each parcel</source>
        <translation>%1 · %2 装车中：请逐件扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="204"/>
        <source>Choose the carrier and start loading first</source>
        <translation>请先选择承运商并开始装车</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="229"/>
        <source>Pre-pack shelf: %1 parcels wait for their balance (keep them off the truck) · %2 paid, load them with their carrier now</source>
        <translation>预打包暂存架：%1 件等尾款（不要装车）· %2 件尾款已付，随承运商立即装车</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="275"/>
        <source>… and %1 more</source>
        <translation>… 另有 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="276"/>
        <source>%1 parcels of %2 are packed but not scanned onto the truck:

%3

Close %4 without them? They stay in the building.</source>
        <translation>%2 有 %1 个包裹已打包但尚未扫描装车：

%3

不带这些包裹结束交接 %4？它们将留在仓内。</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="281"/>
        <source>Parcels not scanned</source>
        <translation>有包裹未扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="282"/>
        <source>Not closed: scan the missing parcels</source>
        <translation>未结束交接：请扫描缺少的包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/handover_screen.py" line="304"/>
        <source>%1 closed: %2 parcels shipped, manifest printed</source>
        <translation>%1 已结束：%2 件已发运，交接清单已打印</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../app/ui/login.py" line="56"/>
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="63"/>
        <source>Scan your badge, or enter your user code and password</source>
        <translation>请扫描工牌，或输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="70"/>
        <source>User code or badge</source>
        <translation>工号或工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="74"/>
        <location filename="../../app/ui/login.py" line="82"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="75"/>
        <location filename="../../app/ui/login.py" line="93"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="81"/>
        <source>User</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="92"/>
        <source>PIN or password</source>
        <translation>PIN 或密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="95"/>
        <source>Back (Esc)</source>
        <translation>返回 (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="101"/>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="130"/>
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="227"/>
        <source>Enter user code and password</source>
        <translation>请输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="236"/>
        <source>Enter your PIN or password</source>
        <translation>请输入 PIN 或密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="253"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="272"/>
        <source>Central database unreachable: checking this station&apos;s list…</source>
        <translation>中心数据库无法连接：正在核对本工位的人员名单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="295"/>
        <source>Badge of %1 accepted. Enter your PIN (or your password) to go on.</source>
        <translation>已识别 %1 的工牌。请输入 PIN（或密码）继续。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="178"/>
        <location filename="../../app/ui/main_window.py" line="328"/>
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="208"/>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="230"/>
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="231"/>
        <source>Central: %1</source>
        <translation>中心库：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="251"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="256"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="258"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="267"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="268"/>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="275"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="276"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="282"/>
        <source>&amp;About Packline</source>
        <translation>关于 Packline(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="336"/>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="337"/>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="358"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="360"/>
        <source>No devices</source>
        <translation>无设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="421"/>
        <source>Your role has no screens on this station.</source>
        <translation>您的角色在此工位没有可用的界面。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="471"/>
        <source>%1 waiting</source>
        <translation>待同步 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="473"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="476"/>
        <source>last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="480"/>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="481"/>
        <source>behind %1 min</source>
        <translation>落后 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="485"/>
        <source>%1 conflicts</source>
        <translation>冲突 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="501"/>
        <source>… and %1 more: see the exception queue</source>
        <translation>…… 另有 %1 条：请看异常队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="514"/>
        <source>NOT SYNCING: this Packline does not fit the central database</source>
        <translation>已停止同步：本工作站的程序版本与中心数据库不符</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="527"/>
        <source>Order %1 was intercepted while it was being packed: do not ship the parcel, hand it to the shift lead</source>
        <translation>订单 %1 在打包期间已被拦截：包裹不要发出，请交给组长处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="530"/>
        <source>The central database did not take order %1 as packed here (packed elsewhere, not picked, or its tracking number taken): keep the parcel back and hand it to the shift lead</source>
        <translation>中心数据库未接受本台对订单 %1 的打包（已在别处打包、尚未拣货，或运单号已被占用）：请扣下包裹，交给组长处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="536"/>
        <source>The central database did not accept order %1 (%2): hand the parcel to the shift lead</source>
        <translation>中心数据库未接受订单 %1（%2）：请把包裹交给组长处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="560"/>
        <source>Your role is now %1: log in again to work with its screens.</source>
        <translation>您的角色已变为%1：请重新登录以使用相应界面。</translation>
    </message>
</context>
<context>
    <name>OrdersDialog</name>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="135"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="143"/>
        <source>%1 · loading…</source>
        <translation>%1 · 加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="151"/>
        <source>%1 · %2 orders</source>
        <translation>%1 · %2 单</translation>
    </message>
    <message>
        <location filename="../../app/ui/dashboard_screen.py" line="160"/>
        <source>Could not load the orders: %1</source>
        <translation>无法加载订单：%1</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="78"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="83"/>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="88"/>
        <source>Spot and presale</source>
        <translation>现货和预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="89"/>
        <source>Presale only</source>
        <translation>仅预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="90"/>
        <source>Spot only</source>
        <translation>仅现货</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="93"/>
        <source>All warehouses</source>
        <translation>全部仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="99"/>
        <source>All exception categories</source>
        <translation>全部异常类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="106"/>
        <source>Order no., channel order no., phone or buyer — Enter to search</source>
        <translation>订单号、平台单号、手机号或买家——回车搜索</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="108"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="142"/>
        <source>Select an order to see its lines and history</source>
        <translation>选择订单查看明细和操作记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="150"/>
        <source>Hold (Ctrl+H)</source>
        <translation>挂起 (Ctrl+H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="153"/>
        <source>Release hold (Ctrl+Shift+H)</source>
        <translation>解除挂起 (Ctrl+Shift+H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="156"/>
        <source>Cancel order… (Ctrl+Del)</source>
        <translation>取消订单… (Ctrl+Del)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="159"/>
        <source>Run engine now (Ctrl+E)</source>
        <translation>立即审单分仓 (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="163"/>
        <source>Keep the order out of waves until its hold is released</source>
        <translation>暂停订单：解除暂停前不进入波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="164"/>
        <source>Let a held order go on</source>
        <translation>解除暂停，订单继续流转</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="165"/>
        <source>Cancel the order (asks first)</source>
        <translation>取消订单（会先确认）</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="167"/>
        <source>Review and route every new order now instead of waiting for the engine</source>
        <translation>立即对所有新订单审单并分仓，不必等待后台引擎</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="170"/>
        <source>Your role may not change an order&apos;s status</source>
        <translation>您的角色不能修改订单状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="172"/>
        <source>Your role may not run the engine</source>
        <translation>您的角色不能运行审单引擎</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="197"/>
        <source>Load the list again</source>
        <translation>重新加载列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="200"/>
        <source>Search: to the search box</source>
        <translation>搜索：光标移到搜索框</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="206"/>
        <location filename="../../app/ui/orders_screen.py" line="241"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="257"/>
        <location filename="../../app/ui/orders_screen.py" line="274"/>
        <source>%1 orders · loaded in %2 ms</source>
        <translation>共 %1 单 · 加载 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="294"/>
        <source>Could not load orders: %1</source>
        <translation>订单加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="363"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="364"/>
        <source>Cancel order %1 (%2)? It will not ship, and this cannot be undone.</source>
        <translation>确定取消订单 %1（%2）？订单将不再发货，此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="383"/>
        <source>%1 is now %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="398"/>
        <source>Engine running…</source>
        <translation>审单引擎运行中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="405"/>
        <source>Engine: %1 orders reviewed, %2 ready for wave, %3 awaiting balance, %4 exceptions</source>
        <translation>审单引擎：处理 %1 单，待组波 %2 单，待尾款 %3 单，异常 %4 单</translation>
    </message>
</context>
<context>
    <name>PackingScreen</name>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="144"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="144"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="145"/>
        <source>Scanned</source>
        <translation>已扫</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="145"/>
        <source>Box</source>
        <translation>箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="172"/>
        <source>Scan or type a code, then Enter</source>
        <translation>扫描或输入条码后回车</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="180"/>
        <source>New box (F2)</source>
        <translation>新箱 (F2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="182"/>
        <source>Set aside (F3)</source>
        <translation>暂停 (F3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="184"/>
        <source>Confirm (F4)</source>
        <translation>确认 (F4)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="186"/>
        <source>Reprint (F5)</source>
        <translation>重打 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="198"/>
        <source>Lead lets the weight go (F9)</source>
        <translation>组长放行重量 (F9)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="209"/>
        <source>Print command cards</source>
        <translation>打印指令卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="237"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="243"/>
        <source>Set aside</source>
        <translation>已暂放</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="255"/>
        <location filename="../../app/ui/packing_screen.py" line="473"/>
        <source>Scan an order, a waybill or a slot</source>
        <translation>请扫描订单、运单或格口</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="380"/>
        <source>Shift lead: scan your badge and enter your PIN (or type your user code and password) to let this weight go</source>
        <translation>组长：请扫工牌并输入 PIN 码（或输入工号和密码）放行此重量</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="393"/>
        <source>weight checked by the shift lead</source>
        <translation>组长已核对重量</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="421"/>
        <source>%1 · %2 of %3 orders left</source>
        <translation>%1 · 剩 %2 / %3 单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="435"/>
        <source>STOP ✋ %1 is intercepted (%2). Do not ship: put the items back for the put-back task.</source>
        <translation>停止 ✋ %1 已被拦截（%2）。不要发货：把商品放回，等待放回任务。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="439"/>
        <source>Intercepted: set the items aside</source>
        <translation>已拦截：请把商品放到一边</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="458"/>
        <source>Wave %1: scan one item per order (%2 of %3 orders left)</source>
        <translation>波次 %1：每单扫一件商品（剩 %2 / %3 单）</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="460"/>
        <source>Wave %1: every order is packed (%3 orders)</source>
        <translation>波次 %1：全部 %3 单已打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="467"/>
        <source>%1: label printed again (%2)</source>
        <translation>%1：面单已重打（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="476"/>
        <source>%1 set aside: scan it again, here or at another station, to carry on</source>
        <translation>%1 已暂停：在本台或其他打包台再扫此单即可继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="486"/>
        <source>%1 packed: label printed (%2)</source>
        <translation>%1 已打包：面单已打印（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="491"/>
        <source>All items checked: put the parcel on the scale</source>
        <translation>商品已全部核对：请把包裹放上秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="496"/>
        <source>Taken up from %1 (%2): %3 units counted there, %4 more to scan</source>
        <translation>接续 %1（%2）暂停的订单：那边已点 %3 件，还需扫描 %4 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="511"/>
        <source>OK · %1 more to scan</source>
        <translation>正确 · 还需扫描 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="517"/>
        <source>Wrong item: not in this order. Put it aside</source>
        <translation>错货：不是本订单的商品，请放到一边</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="518"/>
        <source>This item belongs to %1, not to this order</source>
        <translation>此商品属于 %1，不是本订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="519"/>
        <source>Extra unit: this item is complete already</source>
        <translation>多件：此商品已扫够</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="520"/>
        <source>Too many: more than the order needs</source>
        <translation>数量过多：超过订单所需</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="521"/>
        <source>Scan the units one by one</source>
        <translation>请逐件扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="522"/>
        <source>The box is empty: scan an item first</source>
        <translation>箱子是空的：请先扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="399"/>
        <location filename="../../app/ui/packing_screen.py" line="523"/>
        <source>Weight outside the tolerance: check the parcel, or a shift lead lets it go (F9)</source>
        <translation>重量超出允许范围：请检查包裹，或由组长放行 (F9)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="181"/>
        <source>Start another box for this order</source>
        <translation>为此订单再开一箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="183"/>
        <source>Put the order aside, to finish here or at another bench</source>
        <translation>暂放订单，稍后在本台或其他打包台继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="185"/>
        <source>Every item scanned: the order is packed</source>
        <translation>全部商品已扫：确认打包完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="187"/>
        <source>Print the box&apos;s label again (the same tracking number)</source>
        <translation>重打本箱面单（运单号不变）</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="202"/>
        <source>A shift lead lets a parcel outside the weight tolerance go, with badge and PIN</source>
        <translation>组长刷工牌并输入 PIN，放行重量超出允差的包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="302"/>
        <source>A badge is not an item: the shift lead approves with F9</source>
        <translation>工牌不是商品：组长审核请按 F9</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="377"/>
        <source>Waiting for the shift lead&apos;s approval</source>
        <translation>等待组长审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="388"/>
        <source>First the shift lead&apos;s approval, or Esc</source>
        <translation>请先完成组长审核，或按 Esc 取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="486"/>
        <source>%1 pre-packed (%2): to the pre-pack shelf</source>
        <translation>%1 已预打包（%2）：放预打包暂存架</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="505"/>
        <source>%1 scan(s) read before the station stopped are counted now · %2 more to scan</source>
        <translation>工作站停止前扫描的 %1 次已计入 · 还需扫描 %2 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="525"/>
        <source>%1 is packed already: it cannot be packed again</source>
        <translation>%1 已打包，不能重复打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="526"/>
        <source>%1 is not ready for packing</source>
        <translation>%1 尚不能打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="527"/>
        <source>%1 is %2 at the central database now: no label. Set it aside (F3) for the shift lead</source>
        <translation>%1 在中心库的状态已变为「%2」：不打面单。请暂停（F3）交给组长</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="529"/>
        <source>Finish %1 first, or set it aside (F3)</source>
        <translation>请先完成 %1，或暂放 (F3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="530"/>
        <source>Scan an order first</source>
        <translation>请先扫描订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="531"/>
        <source>Not every item is scanned yet</source>
        <translation>还有商品未扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="532"/>
        <source>This order is set aside</source>
        <translation>此订单已暂放</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="533"/>
        <source>Barcode unreadable (check digit wrong): scan it again</source>
        <translation>条码无法识别（校验位错误）：请重新扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="534"/>
        <source>%1 has no label yet: nothing to reprint</source>
        <translation>%1 还没有面单，无需重打</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="535"/>
        <source>Every order of wave %3 is packed: nothing needs this item</source>
        <translation>波次 %3 的订单已全部打包，不需要此商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="536"/>
        <source>No order of wave %3 needs this item: put it aside</source>
        <translation>波次 %3 没有订单需要此商品，请放到一边</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="537"/>
        <source>No weighing now: this order is at the step “%4”</source>
        <translation>现在不称重：此订单在“%4”这一步</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="538"/>
        <source>No items now: this order is at the step “%4”</source>
        <translation>现在不扫商品：此订单在“%4”这一步</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="539"/>
        <source>No label now: this order is at the step “%4”</source>
        <translation>现在不打面单：此订单在“%4”这一步</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="540"/>
        <source>%5 is not an item: scan the item&apos;s barcode</source>
        <translation>%5 不是商品：请扫商品条码</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="541"/>
        <source>This scan was taken already: nothing is counted again</source>
        <translation>这次扫描已记录过：不会重复计数</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="542"/>
        <source>This step was taken already: nothing changes</source>
        <translation>此步骤已完成过：没有变化</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="543"/>
        <source>There is no such box</source>
        <translation>没有这个箱子</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="544"/>
        <source>This box has its label already</source>
        <translation>此箱已有面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="545"/>
        <source>This tracking number is on another box</source>
        <translation>此运单号已用于另一箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="546"/>
        <source>Not every box is weighed yet</source>
        <translation>还有箱子未称重</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="547"/>
        <source>Not every box has its label yet</source>
        <translation>还有箱子未打面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="548"/>
        <source>%1 is intercepted: do not ship it</source>
        <translation>%1 已拦截：不要发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="549"/>
        <source>This order is not set aside</source>
        <translation>此订单未暂存</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="563"/>
        <source>It is asked for again at %1.</source>
        <translation>将于 %1 再次获取。</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="569"/>
        <source>Wrong item: %6 is not in this order. Put it aside</source>
        <translation>商品错误：%6 不属于此订单，请放到一边</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="584"/>
        <source>scan the items</source>
        <translation>扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="585"/>
        <source>weigh the parcel</source>
        <translation>称重</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="586"/>
        <source>print the label</source>
        <translation>打印面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="587"/>
        <source>packed</source>
        <translation>已打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="589"/>
        <source>intercepted</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="605"/>
        <source>box %1</source>
        <translation>第 %1 箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="637"/>
        <source>To: %1  %2  ·  %3</source>
        <translation>收件人：%1  %2  ·  %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="642"/>
        <source>Box: mailer bag</source>
        <translation>箱型：快递袋</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="643"/>
        <source>Box: carton No. %1</source>
        <translation>箱型：%1号纸箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="645"/>
        <source>Buyer&apos;s remark: %1</source>
        <translation>买家留言：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="588"/>
        <location filename="../../app/ui/packing_screen.py" line="685"/>
        <source>set aside</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="648"/>
        <source>PRE-PACK · balance not paid: pack and label as usual, then to the pre-pack shelf</source>
        <translation>预打包 · 尾款未付：照常打包贴单，然后放预打包暂存架</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="685"/>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../app/ui/packing_screen.py" line="706"/>
        <source>Command cards sent to %1</source>
        <translation>指令卡已发送到 %1</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="175"/>
        <source>New password for %1</source>
        <translation>%1 的新密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="180"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="181"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="184"/>
        <source>password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>PickingScreen</name>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="70"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="72"/>
        <source>Hand back (F7)</source>
        <translation>交还波次 (F7)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="75"/>
        <source>Stop here: the wave goes back to the list with what you picked, for another picker</source>
        <translation>到此为止：波次连同已拣货品退回列表，由其他拣货员继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="78"/>
        <source>Abandon (F11)</source>
        <translation>放弃波次 (F11)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="81"/>
        <source>Nothing picked yet: the wave&apos;s orders go back to the queue</source>
        <translation>尚未拣货：波次的订单退回队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="122"/>
        <source>Scan or type a code, then Enter</source>
        <translation>扫描或输入条码后回车</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="130"/>
        <source>Skip (F6)</source>
        <translation>跳过 (F6)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="133"/>
        <source>Short: only the quantity found (F8)</source>
        <translation>缺货：只拣到数量框中的数量 (F8)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="136"/>
        <source>Come back to this bin later</source>
        <translation>稍后再来此库位</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="138"/>
        <source>The bin holds fewer than asked: take what is there</source>
        <translation>库位数量不足：按实际数量拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="146"/>
        <source>Waves to pick</source>
        <translation>待拣波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="161"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="170"/>
        <source>Put back</source>
        <translation>放回</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="183"/>
        <source>Scan a wave (WAVE-…) or pick one from the list</source>
        <translation>扫描波次 (WAVE-…) 或从列表中选择</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="238"/>
        <source>A badge is not a bin or an item</source>
        <translation>工牌不是库位或商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="246"/>
        <source>Scan a wave first (WAVE-…)</source>
        <translation>请先扫描波次 (WAVE-…)</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="265"/>
        <source>%1 is yours</source>
        <translation>%1 已领取</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="275"/>
        <source>Right bin. Type the quantity, then scan the item</source>
        <translation>库位正确。先输入数量，再扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="280"/>
        <source>Right bin. Scan the item</source>
        <translation>库位正确。请扫描商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="289"/>
        <source>Wave picked. Take the cart to the put wall and scan each item</source>
        <translation>波次已拣完。请把拣货车推到播种墙，逐件扫描</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="292"/>
        <source>Wave picked. Take it to packing</source>
        <translation>波次已拣完。请送往打包台</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="295"/>
        <source>Task done. Next bin</source>
        <translation>本任务完成。前往下一库位</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="298"/>
        <source>OK, scan the next unit</source>
        <translation>正确，请扫描下一件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="304"/>
        <source>Slot %1</source>
        <translation>格口 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="308"/>
        <source>Slot %1 complete: to packing</source>
        <translation>格口 %1 已齐：送打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="312"/>
        <source>%1 more</source>
        <translation>还差 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="313"/>
        <source>Into slot %1</source>
        <translation>放入格口 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="324"/>
        <source>Wrong bin: go to %1</source>
        <translation>库位错误：请到 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="326"/>
        <source>Scan the bin %1 first</source>
        <translation>请先扫描库位 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="328"/>
        <source>Wrong item: this task is %1 %2</source>
        <translation>商品错误：本任务是 %1 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="331"/>
        <source>Too many: %1 left to pick here</source>
        <translation>数量超出：此处只需再拣 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="334"/>
        <source>Check the quantity: %1 left to pick here</source>
        <translation>请核对数量：此处还需拣 %1 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="351"/>
        <source>Back on %1 where you left it</source>
        <translation>已回到 %1，从上次停下的地方继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="362"/>
        <source>Hand back</source>
        <translation>交还波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="363"/>
        <source>Hand %1 back? What you picked stays picked; another picker carries on from the next task.</source>
        <translation>交还 %1？已拣的货品保留，由其他拣货员从下一个任务继续。</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="367"/>
        <source>%1 handed back: it is in the list for the next picker</source>
        <translation>%1 已交还：在列表中等待下一位拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="375"/>
        <source>Abandon wave</source>
        <translation>放弃波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="376"/>
        <source>Abandon %1? Its orders go back to the queue for a new wave.</source>
        <translation>放弃 %1？其订单退回队列，重新组波。</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="380"/>
        <source>%1 abandoned: %2 orders back in the queue</source>
        <translation>已放弃 %1：%2 单退回队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="401"/>
        <source>Skipped: it comes back at the end</source>
        <translation>已跳过：最后再回来拣</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="411"/>
        <source>Short pick</source>
        <translation>拣货缺货</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="412"/>
        <source>Only %1 of %2 × %3 found in %4? The orders that go without leave the wave for the shift lead.</source>
        <translation>在 %4 只找到 %1 件（应拣 %2 件 %3）？缺货的订单将移出波次，交组长处理。</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="425"/>
        <source>Short pick recorded: the shift lead sees the exception; the wave goes on</source>
        <translation>已登记缺货：组长会看到异常；波次继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="448"/>
        <source>No wave</source>
        <translation>无波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="455"/>
        <source>%1 of %2 units</source>
        <translation>%1 / %2 件</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="463"/>
        <source>cell %1</source>
        <translation>格 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="468"/>
        <source>Put wall</source>
        <translation>播种墙</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="469"/>
        <source>Scan each item: its slot shows here</source>
        <translation>逐件扫描：这里显示放入的格口</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="511"/>
        <source>%1 is no longer yours (%2)</source>
        <translation>%1 已不再由您拣货（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/picking_screen.py" line="532"/>
        <source>%1 units</source>
        <translation>%1 件</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="189"/>
        <source>PIN of %1</source>
        <translation>%1 的 PIN</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="190"/>
        <source>4 to 8 digits</source>
        <translation>4 到 8 位数字</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="194"/>
        <source>No PIN (the badge alone is refused for a lead or admin)</source>
        <translation>不设 PIN（组长或管理员仅刷工牌将被拒绝）</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="197"/>
        <location filename="../../app/ui/users_screen.py" line="209"/>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="198"/>
        <source>PIN again</source>
        <translation>再次输入 PIN</translation>
    </message>
</context>
<context>
    <name>PrepackDialog</name>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="219"/>
        <source>Pre-pack wave · %1</source>
        <translation>预打包波次 · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="222"/>
        <source>Releases waves of this campaign&apos;s routed orders whose balance is not paid, to be picked and packed now; each parcel waits on the pre-pack shelf until its balance is paid.</source>
        <translation>为本活动已分配、尚未付尾款的订单释放波次，立即拣货打包；每个包裹在预打包暂存架上等待，直到尾款付清。</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="233"/>
        <source>At most this many orders in one wave</source>
        <translation>每个波次最多的订单数</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="235"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="236"/>
        <source>Orders per wave</source>
        <translation>每波订单数</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="242"/>
        <source>Release</source>
        <translation>释放</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="245"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="254"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="263"/>
        <source>No active warehouse to pre-pack in.</source>
        <translation>没有可用于预打包的启用仓库。</translation>
    </message>
</context>
<context>
    <name>PresaleReportDialog</name>
    <message>
        <location filename="../../app/ui/presale_report.py" line="72"/>
        <source>Demand report · %1</source>
        <translation>需求报表 · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="74"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="80"/>
        <location filename="../../app/ui/presale_report.py" line="204"/>
        <location filename="../../app/ui/presale_report.py" line="227"/>
        <source>China day</source>
        <translation>日期（北京时间）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="89"/>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="91"/>
        <source>By province</source>
        <translation>按省份</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="91"/>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="92"/>
        <source>By SKU</source>
        <translation>按 SKU</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="92"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="93"/>
        <source>By option</source>
        <translation>按规格</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="93"/>
        <source>Option</source>
        <translation>规格</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="96"/>
        <source>Export xlsx…</source>
        <translation>导出 xlsx…</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="101"/>
        <source>Save the report as an Excel workbook for the supplier</source>
        <translation>将报表保存为 Excel 工作簿，发给供应商</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="126"/>
        <source>Could not load the demand report: %1</source>
        <translation>无法加载需求报表：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="145"/>
        <source>Deposits: %1 orders, %2 units (¥%3)</source>
        <translation>定金：%1 单，%2 件（¥%3）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="148"/>
        <source>Balances paid: %1 orders, %2 units (¥%3)</source>
        <translation>已付尾款：%1 单，%2 件（¥%3）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="151"/>
        <source>Conversion: %1</source>
        <translation>转化率：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="152"/>
        <source>of the %1 deposits, %2 have paid their balance by now</source>
        <translation>%1 笔定金订单中，%2 笔至今已付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="154"/>
        <source>Refunded: %1 · Cancelled: %2</source>
        <translation>退款：%1 · 取消：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="162"/>
        <source>Deposit orders</source>
        <translation>定金订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="162"/>
        <source>Deposit units</source>
        <translation>定金件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="163"/>
        <source>Balance paid orders</source>
        <translation>尾款已付订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="163"/>
        <source>Balance paid units</source>
        <translation>尾款已付件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="164"/>
        <source>Conversion</source>
        <translation>转化率</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="164"/>
        <source>Converted</source>
        <translation>其中已付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="169"/>
        <source>Balances paid on the day (or in the period) of this row, whenever their deposit was paid</source>
        <translation>本行日期（或期间）内付的尾款，无论定金何时付</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="171"/>
        <source>Of this row&apos;s deposits, the orders whose balance has been paid by now (whenever it was paid)</source>
        <translation>本行定金订单中，至今已付尾款的订单（无论尾款哪天付）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="173"/>
        <source>Of this row&apos;s deposits, the share whose balance has been paid by now</source>
        <translation>本行定金订单中，至今已付尾款的比例</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="202"/>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="205"/>
        <location filename="../../app/ui/presale_report.py" line="208"/>
        <source>Units per China day: deposits / balances paid</source>
        <translation>每日件数：定金 / 已付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="228"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="246"/>
        <source>Units per China day</source>
        <translation>每日件数（北京时间）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="258"/>
        <source>Deposits</source>
        <translation>定金</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="259"/>
        <source>Balances paid</source>
        <translation>已付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="292"/>
        <source>Export the demand report</source>
        <translation>导出需求报表</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="293"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="304"/>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="311"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_report.py" line="316"/>
        <source>Could not write the workbook: %1</source>
        <translation>无法写入工作簿：%1</translation>
    </message>
</context>
<context>
    <name>PresaleStockDialog</name>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="80"/>
        <source>Stock ledger · %1</source>
        <translation>库存台账 · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="82"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="87"/>
        <location filename="../../app/ui/presale_stock.py" line="97"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="87"/>
        <source>On hand</source>
        <translation>在库</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="87"/>
        <source>Spot reserved</source>
        <translation>现货占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="88"/>
        <source>Presale held</source>
        <translation>预售占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="88"/>
        <source>Free</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="88"/>
        <source>In open put-back tasks</source>
        <translation>待回库任务中</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="89"/>
        <source>Packed, balance not paid</source>
        <translation>已打包·待付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="89"/>
        <source>Packed, balance paid</source>
        <translation>已打包·已付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="94"/>
        <source>Presale held: units reserved for this campaign&apos;s orders; spot orders never take them. Free: on hand less every reservation.</source>
        <translation>预售占用：为本活动订单预占的数量，现货订单不会占用。可用：在库减去全部占用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="96"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="96"/>
        <source>Channel order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="96"/>
        <source>Tracking no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="97"/>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="97"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="98"/>
        <source>Packed at</source>
        <translation>打包时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="100"/>
        <source>Balance due</source>
        <translation>待付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="103"/>
        <source>Balance paid at</source>
        <translation>尾款支付时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="105"/>
        <source>Waiting for the balance on the pre-pack shelf</source>
        <translation>预打包暂存架上待付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="108"/>
        <source>Balance paid: ready for the dock</source>
        <translation>已付尾款：待交接发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="112"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="140"/>
        <source>Could not load the stock ledger: %1</source>
        <translation>无法加载库存台账：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="145"/>
        <source>Virtual pool</source>
        <translation>虚拟库存池</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="146"/>
        <source>Real stock reserved</source>
        <translation>真实库存预占</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="154"/>
        <source>%1 · SKU %2 · %3 · pool promised %4 / %5 (%6 left)</source>
        <translation>%1 · SKU %2 · %3 · 库存池已承诺 %4 / %5（剩余 %6）</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="164"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="172"/>
        <source>Intercepted (%1): to be unpacked</source>
        <translation>已拦截（%1）：待拆包</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="176"/>
        <source>Waiting for the balance on the pre-pack shelf: %1</source>
        <translation>预打包暂存架上待付尾款：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="178"/>
        <source>Balance paid, ready for the dock: %1</source>
        <translation>已付尾款、待交接发货：%1</translation>
    </message>
</context>
<context>
    <name>PrintingScreen</name>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="72"/>
        <source>All jobs</source>
        <translation>全部任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <source>For</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="80"/>
        <location filename="../../app/ui/printing_screen.py" line="107"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="81"/>
        <location filename="../../app/ui/printing_screen.py" line="107"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="81"/>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="81"/>
        <source>Sent again</source>
        <translation>重发次数</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="81"/>
        <source>Reprint of</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="82"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="92"/>
        <source>Label torn or smudged</source>
        <translation>面单破损或污损</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="92"/>
        <source>Label lost</source>
        <translation>面单丢失</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="93"/>
        <source>Printed unreadable</source>
        <translation>打印不清</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="93"/>
        <source>Stuck on the wrong parcel</source>
        <translation>贴错包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="97"/>
        <source>Why print again?</source>
        <translation>补打原因？</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="98"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="102"/>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="107"/>
        <source>Language</source>
        <translation>指令语言</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="107"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="108"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="108"/>
        <source>Backup</source>
        <translation>备用打印机</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="108"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="110"/>
        <source>Print test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="114"/>
        <source>Select a job to see its label</source>
        <translation>选择任务以预览面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="122"/>
        <source>Print queue</source>
        <translation>打印队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="132"/>
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
        <location filename="../../app/ui/printing_screen.py" line="260"/>
        <source>Job cancelled</source>
        <translation>任务已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/printing_screen.py" line="273"/>
        <source>Test page sent to %1</source>
        <translation>测试页已发送到 %1</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="166"/>
        <source>Change role of %1</source>
        <translation>更改 %1 的角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="170"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>RulesScreen</name>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="102"/>
        <source>Every new order passes these rules from top to bottom. A rule lets the order through, holds it for review, or sends it to the exception queue. Changes apply to the next orders the engine reviews.</source>
        <translation>每个新订单从上到下依次经过这些规则。规则可放行订单、挂起待人工审核，或转入异常队列。修改对引擎接下来审核的订单生效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="107"/>
        <source>Read only: your role may look at the review rules but not change them.</source>
        <translation>只读：您的角色可以查看审单规则，但不能修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="111"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="119"/>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="119"/>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="119"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="119"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="120"/>
        <source>Parameters (JSON)</source>
        <translation>参数 (JSON)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="145"/>
        <source>Load the list again</source>
        <translation>重新加载列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="148"/>
        <source>Move the selected rule up</source>
        <translation>所选规则上移</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="150"/>
        <source>Move the selected rule down</source>
        <translation>所选规则下移</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="152"/>
        <source>Save the selected rule</source>
        <translation>保存所选规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="153"/>
        <location filename="../../app/ui/rules_screen.py" line="167"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="163"/>
        <source>Could not load the review rules: %1</source>
        <translation>审单规则加载失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="186"/>
        <source>Run this rule</source>
        <translation>启用此规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="200"/>
        <source>No parameters</source>
        <translation>无参数</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="203"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="205"/>
        <source>▲ Up</source>
        <translation>▲ 上移</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="207"/>
        <source>▼ Down</source>
        <translation>▼ 下移</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="274"/>
        <source>Parameters of %1 are not valid JSON (at character %2): write them like %3</source>
        <translation>“%1”的参数不是有效的 JSON（第 %2 个字符处）：请按此格式填写 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="281"/>
        <source>Parameters of %1 must be a JSON object, like %2</source>
        <translation>规则 %1 的参数必须是 JSON 对象，例如 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="301"/>
        <source>Save or undo the changes of these rules first.</source>
        <translation>请先保存或撤销这两条规则的修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="310"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="318"/>
        <source>Saved: %1. It applies to the next orders reviewed.</source>
        <translation>已保存：%1，对接下来审核的订单生效。</translation>
    </message>
</context>
<context>
    <name>ServiceAccountDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="261"/>
        <source>Add service account</source>
        <translation>添加服务账号</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="268"/>
        <source>User code</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="269"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="270"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="273"/>
        <source>Enter the user code</source>
        <translation>请输入工号</translation>
    </message>
</context>
<context>
    <name>StockModeDialog</name>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="286"/>
        <source>Stock mode · %1</source>
        <translation>库存模式 · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="288"/>
        <source>Virtual pool: deposits draw on the supplier&apos;s capacity and reserve no stock. Real stock reserved: each deposit reserves units in the warehouse, which may be packed before the balance. The mode can change only while the campaign has no orders.</source>
        <translation>虚拟库存池：定金占用供应商产能，不预占实物库存。真实库存预占：每笔定金预占仓库中的实物，可在尾款前打包。仅在活动还没有订单时可更改模式。</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="294"/>
        <source>Virtual pool</source>
        <translation>虚拟库存池</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="295"/>
        <source>Real stock reserved</source>
        <translation>真实库存预占</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="298"/>
        <source>Stock mode</source>
        <translation>库存模式</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="301"/>
        <source>Set</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/presale_stock.py" line="302"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SupplierBoardDialog</name>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="81"/>
        <source>Supplier board · %1</source>
        <translation>供应看板 · %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="93"/>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="93"/>
        <source>Due</source>
        <translation>约定到货</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="93"/>
        <location filename="../../app/ui/supplier_board.py" line="98"/>
        <source>Expected</source>
        <translation>预计到货</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="93"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="94"/>
        <location filename="../../app/ui/supplier_board.py" line="98"/>
        <location filename="../../app/ui/supplier_board.py" line="215"/>
        <source>In transit</source>
        <translation>在途</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="94"/>
        <location filename="../../app/ui/supplier_board.py" line="99"/>
        <location filename="../../app/ui/supplier_board.py" line="216"/>
        <source>Arrived</source>
        <translation>已到货</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="94"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="94"/>
        <source>Slip</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="97"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="97"/>
        <source>Deposits</source>
        <translation>仅付定金</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="97"/>
        <source>Balances</source>
        <translation>已付尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="97"/>
        <location filename="../../app/ui/supplier_board.py" line="267"/>
        <source>Demand</source>
        <translation>需求</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="98"/>
        <source>Confirmed</source>
        <translation>确认到货</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="99"/>
        <source>Cumulative demand</source>
        <translation>累计需求</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="99"/>
        <source>Cumulative supply</source>
        <translation>累计到货</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="100"/>
        <source>Gap</source>
        <translation>缺口</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="114"/>
        <source>Import deliveries…</source>
        <translation>导入到货计划…</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="116"/>
        <source>Raise slips now</source>
        <translation>立即上报延迟</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="118"/>
        <source>Export compensations…</source>
        <translation>导出补偿名单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="120"/>
        <source>Also those exported before</source>
        <translation>包括已导出的</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="123"/>
        <source>Unticked, the export holds only the buyers not handed to the shop yet, and marks them exported.</source>
        <translation>不勾选时只导出尚未交给店铺的买家，并标记为已导出。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="125"/>
        <source>Export promises…</source>
        <translation>导出承诺发货时间…</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="127"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="128"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="132"/>
        <source>Deliveries the suppliers confirmed</source>
        <translation>供应商确认的到货计划</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="135"/>
        <source>Suggestions and promises</source>
        <translation>建议与发货承诺</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="149"/>
        <source>Presale demand against arrivals, per day (China time)</source>
        <translation>预售需求与到货对比（按天，北京时间）</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="177"/>
        <location filename="../../app/ui/supplier_board.py" line="192"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="187"/>
        <source>Could not load the supplier board: %1</source>
        <translation>无法加载供应看板：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="195"/>
        <source>goods in the warehouse (real stock)</source>
        <translation>货在仓内（预占真实库存）</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="196"/>
        <source>goods still to come (virtual pool)</source>
        <translation>货未到仓（虚拟库存池）</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="198"/>
        <source>Supplier: %1 · Backup supplier: %2 · %3 · handling %4 h · compensation ¥%5 per buyer</source>
        <translation>供应商：%1 · 备用供应商：%2 · %3 · 处理时间 %4 小时 · 每位买家补偿 ¥%5</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="211"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="215"/>
        <source>Planned</source>
        <translation>计划中</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="216"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="220"/>
        <source>on time</source>
        <translation>准时</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="221"/>
        <source>%1 h late</source>
        <translation>晚 %1 小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="261"/>
        <source>Demand and arrivals per day; the line is the gap</source>
        <translation>每日需求与到货；折线为累计缺口</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="267"/>
        <source>Arrivals</source>
        <translation>到货</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="271"/>
        <source>Cumulative gap</source>
        <translation>累计缺口</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="292"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="310"/>
        <source>Split %1 units to the backup supplier %2: the confirmed deliveries do not cover the demand.</source>
        <translation>将 %1 件分给备用供应商 %2：已确认的到货不足以满足需求。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="313"/>
        <source>(none named)</source>
        <translation>（未指定）</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="315"/>
        <source>Expedite %1 units with %2: they come after %3, when the gap is largest.</source>
        <translation>请 %2 加急 %1 件：这些货在缺口最大的 %3 之后才到。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="321"/>
        <source>%1&apos;s delivery due %2 is %3 h late: %4.</source>
        <translation>%1 原定 %2 到货的批次晚了 %3 小时：%4。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="326"/>
        <source>No suggestion: the gap stays within %1 units.</source>
        <translation>无建议：缺口不超过 %1 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="332"/>
        <source>Promises: %1 of %2 open orders covered by the deliveries, %3 later than confirmed by more than 24 h.</source>
        <translation>发货承诺：%2 个未完成订单中 %1 个有到货覆盖，%3 个比确认时间晚 24 小时以上。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="337"/>
        <source>They ship between %1 and %2; the shop shows e.g. “%3”.</source>
        <translation>发货时间在 %1 至 %2 之间；店铺显示如“%3”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="341"/>
        <source>%1 orders are not covered: their promise is kept as it was.</source>
        <translation>%1 个订单未被到货计划覆盖：保留原承诺发货时间。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="384"/>
        <source>Import deliveries</source>
        <translation>导入到货计划</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="385"/>
        <source>Deliveries (*.xlsx *.csv)</source>
        <translation>到货计划 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="392"/>
        <source>Deliveries imported: %1 new, %2 updated.</source>
        <translation>到货计划已导入：新增 %1 条，更新 %2 条。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="398"/>
        <source>Slips raised: %1 new exceptions, %2 raised to a higher level, %3 closed, %4 buyers flagged for compensation.</source>
        <translation>延迟已上报：新增 %1 条异常，%2 条升级，%3 条关闭，%4 位买家标记补偿。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="405"/>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="413"/>
        <source>Export compensations</source>
        <translation>导出补偿名单</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="425"/>
        <source>%1 compensations exported to %2 (all, also those exported before).</source>
        <translation>已导出 %1 条补偿到 %2（全部，包括之前已导出的）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="427"/>
        <source>%1 compensations not exported before exported to %2.</source>
        <translation>已将 %1 条此前未导出的补偿导出到 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="431"/>
        <source>Export promises</source>
        <translation>导出承诺发货时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="447"/>
        <source>%1 orders exported to %2 with the promises they hold (not recomputed: that needs the right to change orders).</source>
        <translation>已将 %1 个订单按现有承诺导出到 %2（未重新计算：重新计算需要修改订单的权限）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/supplier_board.py" line="454"/>
        <source>Promises recomputed; %1 orders exported to %2.</source>
        <translation>已重新计算发货承诺；已导出 %1 个订单到 %2。</translation>
    </message>
</context>
<context>
    <name>TokenDialog</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="282"/>
        <source>Token of %1</source>
        <translation>%1 的令牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="283"/>
        <source>Copy this token now into the program that uses it (PACKLINE_TOKEN). It is shown only this once; whoever holds it acts as %1.</source>
        <translation>请立即将此令牌复制到使用它的程序中（PACKLINE_TOKEN）。令牌仅显示这一次；持有者即以 %1 的身份操作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="292"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>UsersScreen</name>
    <message>
        <location filename="../../app/ui/users_screen.py" line="112"/>
        <source>The two %1 entries differ</source>
        <translation>两次输入的%1不一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="328"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="331"/>
        <source>User</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="331"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="331"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="331"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="332"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="332"/>
        <source>Badge issued</source>
        <translation>工牌发放时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="332"/>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="333"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="333"/>
        <source>Last login</source>
        <translation>上次登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="341"/>
        <source>&amp;Add user…</source>
        <translation>添加用户(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="342"/>
        <location filename="../../app/ui/users_screen.py" line="422"/>
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="343"/>
        <source>Change &amp;role…</source>
        <translation>更改角色(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="344"/>
        <source>Reset &amp;password…</source>
        <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="345"/>
        <source>Set P&amp;IN…</source>
        <translation>设置 PIN(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="346"/>
        <source>Issue &amp;badge…</source>
        <translation>发放工牌(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="347"/>
        <source>Re&amp;voke badge</source>
        <translation>吊销工牌(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="348"/>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="349"/>
        <source>Add &amp;service account…</source>
        <translation>添加服务账号(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="350"/>
        <source>New &amp;token…</source>
        <translation>新令牌(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="351"/>
        <source>Revoke t&amp;oken</source>
        <translation>吊销令牌(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="382"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="382"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="383"/>
        <source>person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="383"/>
        <source>service account</source>
        <translation>服务账号</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="421"/>
        <source>&amp;Activate</source>
        <translation>启用(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="428"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="458"/>
        <source>User %1 added</source>
        <translation>已添加用户 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="466"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="467"/>
        <source>Deactivate %1? They are logged out at their next action.</source>
        <translation>停用 %1？其下一次操作时将被登出。</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="470"/>
        <source>%1 activated</source>
        <translation>%1 已启用</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="470"/>
        <source>%1 deactivated</source>
        <translation>%1 已停用</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="483"/>
        <source>%1 is now %2</source>
        <translation>%1 现为%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="494"/>
        <source>Password of %1 reset</source>
        <translation>%1 的密码已重置</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="503"/>
        <source>PIN of %1 set</source>
        <translation>%1 的 PIN 已设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="504"/>
        <source>PIN of %1 cleared</source>
        <translation>%1 的 PIN 已清除</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="524"/>
        <source>New badge of %1: its card is printing on %2</source>
        <translation>%1 的新工牌：卡片正在 %2 上打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="529"/>
        <source>New badge of %1: its card is saved as %2</source>
        <translation>%1 的新工牌：卡片已保存为 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="535"/>
        <source>Revoke badge</source>
        <translation>吊销工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="536"/>
        <source>Revoke the badge of %1? It stops working at once.</source>
        <translation>吊销 %1 的工牌？工牌将立即失效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="539"/>
        <source>Badge of %1 revoked</source>
        <translation>%1 的工牌已吊销</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="546"/>
        <source>%1 may log in again</source>
        <translation>%1 可以再次登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="555"/>
        <source>Service account %1 added</source>
        <translation>已添加服务账号 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="561"/>
        <source>New token</source>
        <translation>新令牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="562"/>
        <source>Give %1 a new token? The old one stops working at once.</source>
        <translation>为 %1 生成新令牌？旧令牌将立即失效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="566"/>
        <source>New token of %1</source>
        <translation>%1 的新令牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="571"/>
        <source>Revoke token</source>
        <translation>吊销令牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="572"/>
        <source>Revoke the token of %1? Programs using it stop at once.</source>
        <translation>吊销 %1 的令牌？使用它的程序将立即停止。</translation>
    </message>
    <message>
        <location filename="../../app/ui/users_screen.py" line="576"/>
        <source>Token of %1 revoked</source>
        <translation>%1 的令牌已吊销</translation>
    </message>
</context>
<context>
    <name>WavesScreen</name>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="89"/>
        <source>any carrier</source>
        <translation>任意承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="91"/>
        <source>any zone (A, B, …)</source>
        <translation>任意库区 (A、B…)</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="95"/>
        <source>mix priority bands</source>
        <translation>允许混合优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="96"/>
        <location filename="../../app/ui/waves_screen.py" line="163"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="99"/>
        <source>Release ticked</source>
        <translation>释放所选波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="104"/>
        <location filename="../../app/ui/waves_screen.py" line="144"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="105"/>
        <location filename="../../app/ui/waves_screen.py" line="144"/>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="106"/>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="107"/>
        <source>Zone</source>
        <translation>库区</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="108"/>
        <source>Orders per wave</source>
        <translation>每波订单数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="109"/>
        <source>Cart cells</source>
        <translation>拣货车格数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="115"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="122"/>
        <location filename="../../app/ui/waves_screen.py" line="144"/>
        <source>Band</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="122"/>
        <location filename="../../app/ui/waves_screen.py" line="145"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="122"/>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="122"/>
        <location filename="../../app/ui/waves_screen.py" line="145"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="123"/>
        <source>Bins</source>
        <translation>库位数</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="123"/>
        <source>Walk (m)</source>
        <translation>行走 (米)</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="123"/>
        <source>Pick time (min)</source>
        <translation>拣货时间 (分钟)</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="130"/>
        <source>Choose the warehouse, the strategy and the limits, then press Preview: the waves a release would form show here. Tick the ones to release.</source>
        <translation>选择仓库、策略和限制，然后按“预览”：将要生成的波次显示在这里。勾选要释放的波次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="137"/>
        <source>Tick all</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="140"/>
        <source>Untick all</source>
        <translation>全不选</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="144"/>
        <source>Wave</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="145"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="145"/>
        <source>Picked</source>
        <translation>已拣</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="146"/>
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="146"/>
        <source>Minutes (taken / est.)</source>
        <translation>分钟（已用 / 预计）</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="148"/>
        <location filename="../../app/ui/waves_screen.py" line="346"/>
        <source>Cancel wave</source>
        <translation>取消波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="152"/>
        <source>Print pick list</source>
        <translation>打印拣货单</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="177"/>
        <source>Waves</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="242"/>
        <source>%1 waves, %2 orders, %3 units (of %4 routed orders)</source>
        <translation>%1 个波次，%2 单，%3 件（共 %4 个待拣订单）</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="273"/>
        <source>Tick the waves to release first (a click on a row ticks it)</source>
        <translation>请先勾选要释放的波次（点击一行即可勾选）</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="276"/>
        <source>Release waves</source>
        <translation>释放波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="277"/>
        <source>Release %1 of the %2 previewed waves now?</source>
        <translation>现在释放预览中 %2 个波次里的 %1 个？</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="290"/>
        <source>%1 waves released, %2 orders</source>
        <translation>已释放 %1 个波次，%2 单</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="293"/>
        <source>%1 orders were taken by another release</source>
        <translation>%1 单已被其他释放占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="347"/>
        <source>Put the orders of %1 back in the queue?</source>
        <translation>把 %1 的订单放回队列？</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="354"/>
        <source>%1 orders back in the queue</source>
        <translation>%1 单已回到队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/waves_screen.py" line="373"/>
        <source>Pick list sent to %1</source>
        <translation>拣货单已发送到 %1</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app/ui/app.py" line="97"/>
        <source>embedded (%1)</source>
        <translation>内置数据库（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="261"/>
        <source>Packline is starting…</source>
        <translation>Packline 正在启动…</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="408"/>
        <source>Preparing the embedded database…</source>
        <translation>正在准备内置数据库…</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="424"/>
        <source>Checking the central database…</source>
        <translation>正在检查中央数据库…</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="413"/>
        <source>Demo data ready: %1 orders</source>
        <translation>演示数据已就绪：%1 单</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <location filename="../../app/ui/crash.py" line="59"/>
        <source>Packline hit an unexpected error.</source>
        <translation>Packline 遇到了一个意外错误。</translation>
    </message>
    <message>
        <location filename="../../app/ui/crash.py" line="68"/>
        <source>It has been written to the log:
%1

Please tell IT what you were doing; “Copy details” puts what they need on the clipboard. You can keep working; if something looks wrong, close Packline and start it again.</source>
        <translation>错误已写入日志：
%1

请告诉 IT 人员您刚才在做什么，点「复制详情」即可把他们需要的内容复制到剪贴板。您可以继续工作；如果有不对劲的地方，请关闭 Packline 再重新打开。</translation>
    </message>
    <message>
        <location filename="../../app/ui/crash.py" line="75"/>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <location filename="../../app/ui/crash.py" line="84"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/crash.py" line="162"/>
        <source>Errors since this message opened: %1 more.</source>
        <translation>此提示打开后又发生了 %1 个错误。</translation>
    </message>
</context>
<context>
    <name>exceptions</name>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="90"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="91"/>
        <source>Age (h)</source>
        <translation>时长(小时)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="92"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="93"/>
        <source>Channel order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="94"/>
        <source>Category</source>
        <translation>异常类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="95"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="96"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/exceptions_screen.py" line="97"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <location filename="../../app/ui/help.py" line="71"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="76"/>
        <source>Everywhere</source>
        <translation>所有界面</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="82"/>
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="83"/>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="118"/>
        <source>About Packline %1</source>
        <translation>关于 Packline %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="123"/>
        <source>The warehouse workstation: order queue, wave picking, packing and label printing.</source>
        <translation>仓储工作台：订单队列、波次拣货、打包与面单打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="132"/>
        <source>Version: %1</source>
        <translation>版本：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="133"/>
        <source>Qt: %1</source>
        <translation>Qt：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="134"/>
        <source>Station: %1</source>
        <translation>工作站：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="135"/>
        <source>Central database: %1</source>
        <translation>中心数据库：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="148"/>
        <source>Go to %1</source>
        <translation>转到%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="152"/>
        <source>This list of keys</source>
        <translation>本快捷键列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="155"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/help.py" line="160"/>
        <source>Quit Packline</source>
        <translation>退出 Packline</translation>
    </message>
</context>
<context>
    <name>instance</name>
    <message>
        <location filename="../../app/ui/app.py" line="329"/>
        <source>Packline is already running on this station (perhaps under another account, or still starting).</source>
        <translation>Packline 已在本工作站运行（可能在另一个账户下，或仍在启动中）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="332"/>
        <source>Only one copy of Packline can use this station&apos;s scanner, printers and data at a time. Use the Packline window that is open (switch to the account it runs under), or wait a moment and start Packline again.</source>
        <translation>同一时间只能有一个 Packline 使用本工作站的扫描枪、打印机和数据。请使用已打开的 Packline 窗口（切换到它所在的账户），或稍等片刻后重新启动 Packline。</translation>
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
        <location filename="../../app/ui/labels.py" line="241"/>
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="20"/>
        <location filename="../../app/ui/labels.py" line="242"/>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21"/>
        <location filename="../../app/ui/labels.py" line="243"/>
        <source>Packing</source>
        <translation>打包中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <location filename="../../app/ui/labels.py" line="351"/>
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
        <location filename="../../app/ui/labels.py" line="200"/>
        <location filename="../../app/ui/labels.py" line="245"/>
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
        <location filename="../../app/ui/labels.py" line="126"/>
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
        <location filename="../../app/ui/labels.py" line="81"/>
        <location filename="../../app/ui/labels.py" line="327"/>
        <source>Shipment confirmation refused</source>
        <translation>发货回传被拒</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="83"/>
        <source>Waybill refused by the platform</source>
        <translation>平台拒绝出面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="84"/>
        <source>Supplier delay</source>
        <translation>供应商延迟</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="85"/>
        <source>Paid after cancellation</source>
        <translation>取消后付款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="92"/>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>Retry</source>
        <translation>重新处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="94"/>
        <source>Fix address</source>
        <translation>修改地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="95"/>
        <source>Substitute SKU</source>
        <translation>换货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="96"/>
        <source>Backorder</source>
        <translation>缺货待补</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="97"/>
        <source>Hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="98"/>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="99"/>
        <source>Confirm shipment again</source>
        <translation>重新回传发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="100"/>
        <source>Ask for the waybill again</source>
        <translation>重新获取面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="101"/>
        <source>Purchasing and buyer told</source>
        <translation>已通知采购和买家</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="102"/>
        <source>Switch to backup supplier</source>
        <translation>切换备用供应商</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="103"/>
        <source>Compensate the buyer</source>
        <translation>补偿买家</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="104"/>
        <source>Buyer refunded</source>
        <translation>已给买家退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="111"/>
        <source>Not escalated</source>
        <translation>未升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="112"/>
        <source>Over 24 h: notify</source>
        <translation>超过 24 小时：通知相关人员</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="113"/>
        <source>Over 48 h: backup supplier or carrier</source>
        <translation>超过 48 小时：启用备用供应商或快递</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="114"/>
        <source>Over 72 h: compensate the buyer</source>
        <translation>超过 72 小时：补偿买家</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="121"/>
        <source>Stock sufficient</source>
        <translation>库存充足</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="122"/>
        <source>Address valid</source>
        <translation>地址有效</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="123"/>
        <source>Payment complete</source>
        <translation>付款完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="124"/>
        <source>Amount consistent with discounts</source>
        <translation>金额与优惠一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="127"/>
        <source>Buyer remark needs a person</source>
        <translation>买家备注人工审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="128"/>
        <source>High value needs review</source>
        <translation>高价值订单人工审核</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="129"/>
        <source>VIP priority</source>
        <translation>VIP 优先</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="135"/>
        <source>Deposit presale</source>
        <translation>定金预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="136"/>
        <source>Full payment</source>
        <translation>全款预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="149"/>
        <source>○ Stopped</source>
        <translation>○ 已停止</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="150"/>
        <source>… Connecting</source>
        <translation>… 连接中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="151"/>
        <source>✔ Connected</source>
        <translation>✔ 已连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="152"/>
        <source>✖ Disconnected</source>
        <translation>✖ 已断开</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="153"/>
        <source>⚠ Error</source>
        <translation>⚠ 错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="159"/>
        <source>not plugged in or not found</source>
        <translation>未插入或找不到</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="160"/>
        <source>cannot be opened</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="161"/>
        <source>connection lost</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="162"/>
        <source>does not answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="163"/>
        <source>no permission on the port</source>
        <translation>无端口权限</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="164"/>
        <source>port used by another program</source>
        <translation>端口被其他程序占用</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="165"/>
        <source>settings cannot work</source>
        <translation>设置无法使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="166"/>
        <source>simulated cable pulled</source>
        <translation>模拟线缆已拔出</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="172"/>
        <source>Scanner (serial)</source>
        <translation>扫描枪（串口）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="173"/>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="174"/>
        <source>Scanner (USB keyboard)</source>
        <translation>扫描枪（USB 键盘）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="180"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="181"/>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="182"/>
        <source>Tote</source>
        <translation>周转箱</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="183"/>
        <source>Put-wall slot</source>
        <translation>播种墙格口</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="184"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="185"/>
        <source>Wave</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="186"/>
        <location filename="../../app/ui/labels.py" line="214"/>
        <source>Waybill</source>
        <translation>运单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="187"/>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="188"/>
        <source>Command card</source>
        <translation>指令卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="189"/>
        <source>Pallet / case (SSCC)</source>
        <translation>托盘/箱（SSCC）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="190"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="196"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="197"/>
        <source>Printing</source>
        <translation>打印中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="198"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="199"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="207"/>
        <source>✖ Not printing</source>
        <translation>✖ 无法打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="208"/>
        <source>○ Not used yet</source>
        <translation>○ 尚未使用</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="215"/>
        <source>Packing slip</source>
        <translation>销货清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="216"/>
        <source>Pick list</source>
        <translation>拣货单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="217"/>
        <source>Tote / bin label</source>
        <translation>周转箱/库位标签</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="218"/>
        <source>Command cards</source>
        <translation>指令卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="219"/>
        <source>Handover manifest</source>
        <translation>交接清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="220"/>
        <source>Test page</source>
        <translation>测试页</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="226"/>
        <source>Single item, single unit</source>
        <translation>单品单件</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="227"/>
        <source>Single item, several units</source>
        <translation>单品多件</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="228"/>
        <source>Multi-item (put wall)</source>
        <translation>多品（播种墙）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="229"/>
        <source>Pick per order</source>
        <translation>摘果（按单拣）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="230"/>
        <source>By carrier</source>
        <translation>按承运商</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="231"/>
        <source>By zone</source>
        <translation>按库区</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="232"/>
        <source>Presale batch</source>
        <translation>预售批次</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="233"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="234"/>
        <source>Hot item</source>
        <translation>爆款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="252"/>
        <source>refund requested</source>
        <translation>买家申请退款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="253"/>
        <source>cancelled by the buyer</source>
        <translation>买家已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="254"/>
        <source>address changed</source>
        <translation>地址已修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="260"/>
        <source>full</source>
        <translation>全款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="261"/>
        <source>deposit</source>
        <translation>定金</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="262"/>
        <source>balance</source>
        <translation>尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="268"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="269"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="270"/>
        <source>Province</source>
        <translation>省</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="271"/>
        <source>City</source>
        <translation>市</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="272"/>
        <source>District</source>
        <translation>区/县</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="273"/>
        <source>Street address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="279"/>
        <source>encrypted</source>
        <translation>加密</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="285"/>
        <source>Encrypted receiver (platform)</source>
        <translation>平台加密收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="295"/>
        <source>view orders</source>
        <translation>查看订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="296"/>
        <source>import orders</source>
        <translation>导入订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="297"/>
        <source>change an order&apos;s status</source>
        <translation>修改订单状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="298"/>
        <source>resolve exceptions</source>
        <translation>处理异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="299"/>
        <source>edit review rules</source>
        <translation>修改审单规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="300"/>
        <source>release waves</source>
        <translation>下发波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="301"/>
        <source>pick</source>
        <translation>拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="302"/>
        <source>pack</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="303"/>
        <source>hand parcels over</source>
        <translation>交接包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="304"/>
        <source>let a weight pass</source>
        <translation>放行重量异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="305"/>
        <source>reprint</source>
        <translation>重打</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="306"/>
        <source>manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="307"/>
        <source>manage stations</source>
        <translation>管理工作站</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="308"/>
        <source>seed demo data</source>
        <translation>生成演示数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="309"/>
        <source>run the order engine</source>
        <translation>运行订单引擎</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="316"/>
        <source>Received</source>
        <translation>接单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="317"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="318"/>
        <source>Intercepted</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="319"/>
        <source>Address changed</source>
        <translation>地址修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="320"/>
        <source>Escalated</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="321"/>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="322"/>
        <source>Packed twice</source>
        <translation>重复打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="323"/>
        <source>Stopped at packing</source>
        <translation>打包时拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="324"/>
        <source>Weight let pass</source>
        <translation>重量放行</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="325"/>
        <source>Shipment confirmed to the platform</source>
        <translation>已向平台回传发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="329"/>
        <source>Shipment confirmation sent again</source>
        <translation>发货回传已重新发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="331"/>
        <source>Waybill cancelled</source>
        <translation>面单已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="332"/>
        <source>Waybill cancel refused</source>
        <translation>面单取消被拒</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="340"/>
        <source>Waiting to send</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="341"/>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="342"/>
        <source>Confirmed to the platform</source>
        <translation>已回传平台</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="343"/>
        <source>Refused by the platform</source>
        <translation>平台拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="349"/>
        <source>Open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="350"/>
        <source>Labelled</source>
        <translation>已贴面单</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="352"/>
        <source>Handed over</source>
        <translation>已交接</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="353"/>
        <source>Void</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="360"/>
        <source>Tolerance in fen</source>
        <translation>容差（分）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="361"/>
        <source>Threshold in fen</source>
        <translation>金额阈值（分）</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="362"/>
        <source>Lowest VIP level</source>
        <translation>最低 VIP 等级</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="363"/>
        <source>Routine remarks</source>
        <translation>常规备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="240"/>
        <source>Released</source>
        <translation>已释放</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="206"/>
        <source>✔ Ready</source>
        <translation>✔ 正常打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="244"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../app/ui/messages.py" line="24"/>
        <source>You may not do this ({permission}).</source>
        <translation>您没有此权限（{permission}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="26"/>
        <source>Unknown user or wrong password.</source>
        <translation>用户不存在或密码错误。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="28"/>
        <source>This badge is not recognised.</source>
        <translation>无法识别此工牌。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="31"/>
        <source>The password needs at least {minimum} characters.</source>
        <translation>密码至少需要 {minimum} 位。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="27"/>
        <source>That is not a badge.</source>
        <translation>这不是工牌。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="29"/>
        <source>A user code is 2 to 32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;, and does not start with USR- or PLT-.</source>
        <translation>用户编码为 2–32 位字母、数字、&apos;_&apos;、&apos;.&apos; 或 &apos;-&apos;，且不能以 USR- 或 PLT- 开头。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="32"/>
        <source>User {user} exists already.</source>
        <translation>用户 {user} 已存在。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="33"/>
        <source>Enter your PIN (or password) to go on.</source>
        <translation>请输入 PIN（或密码）继续。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="34"/>
        <source>Wrong PIN or password.</source>
        <translation>PIN 或密码错误。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="35"/>
        <source>Too many failed attempts: try again in {seconds} s.</source>
        <translation>失败次数过多：请 {seconds} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="36"/>
        <source>Locked after too many failed attempts: try again in {minutes} min, or ask an admin to unlock.</source>
        <translation>失败次数过多，已锁定：请 {minutes} 分钟后再试，或请管理员解锁。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="38"/>
        <source>This station is locked after too many failed logins: try again in {minutes} min, or ask an admin to unlock it.</source>
        <translation>本工位登录失败次数过多，已锁定：请 {minutes} 分钟后再试，或请管理员解锁。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="40"/>
        <source>The service token is not recognised or was revoked.</source>
        <translation>服务令牌无法识别或已被吊销。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="41"/>
        <source>Users exist already: an admin adds further users.</source>
        <translation>已有用户：其他用户请由管理员添加。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="42"/>
        <source>A PIN is {minimum} to {maximum} digits.</source>
        <translation>PIN 为 {minimum} 到 {maximum} 位数字。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="43"/>
        <source>No user {user}.</source>
        <translation>没有用户 {user}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="44"/>
        <source>The last active admin cannot be deactivated or given another role.</source>
        <translation>最后一名在用的管理员不能停用，也不能改为其他角色。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="45"/>
        <source>{user} is a service account: it has a token, not a password or badge.</source>
        <translation>{user} 是服务账号：只有令牌，没有密码或工牌。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="46"/>
        <source>{user} is a person, not a service account: only service accounts have tokens.</source>
        <translation>{user} 是人员账号，不是服务账号：只有服务账号才有令牌。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="47"/>
        <source>Unlock a user or a station, not “{scope}”.</source>
        <translation>只能解锁用户或工位，不能解锁“{scope}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="48"/>
        <source>{user} is no longer active here: log in again.</source>
        <translation>{user} 已不再有效：请重新登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="50"/>
        <source>Printer {printer} does not take PDF: save the card as a file and print it on an office printer.</source>
        <translation>打印机 {printer} 不支持 PDF：请将卡片保存为文件，再用办公打印机打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="52"/>
        <source>A badge card prints once: issue a new badge for another card.</source>
        <translation>工牌卡片只能打印一次：如需另一张卡片，请发放新工牌。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="64"/>
        <source>No order given.</source>
        <translation>未指定订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="65"/>
        <source>No order {ref}.</source>
        <translation>找不到订单 {ref}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="66"/>
        <source>{ref} matches several orders; say which: {options}.</source>
        <translation>{ref} 对应多个订单，请指明：{options}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="67"/>
        <source>Order {order_no} is intercepted ({intercept}): it cannot go to “{target}”.</source>
        <translation>订单 {order_no} 已拦截（{intercept}），不能转为“{target}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="70"/>
        <source>Order {order_no} cannot go from “{status}” to “{target}”.</source>
        <translation>订单 {order_no} 不能从“{status}”转为“{target}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="72"/>
        <source>An exception needs its category.</source>
        <translation>转入异常需要注明异常类别。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="73"/>
        <source>A category is given only when an order goes to the exception queue.</source>
        <translation>只有转入异常队列时才需要类别。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="75"/>
        <location filename="../../app/ui/messages.py" line="166"/>
        <source>No warehouse {warehouse}.</source>
        <translation>找不到仓库 {warehouse}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="76"/>
        <location filename="../../app/ui/messages.py" line="96"/>
        <location filename="../../app/ui/messages.py" line="168"/>
        <location filename="../../app/ui/messages.py" line="279"/>
        <source>No carrier {carrier}.</source>
        <translation>找不到快递公司 {carrier}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="77"/>
        <source>The list cannot be sorted by {sort}.</source>
        <translation>列表不能按 {sort} 排序。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="116"/>
        <source>That page of the list does not exist.</source>
        <translation>列表没有这一页。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="118"/>
        <location filename="../../app/ui/messages.py" line="301"/>
        <source>{field} is empty.</source>
        <translation>{field}为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="119"/>
        <source>{field} is too long (at most {limit}).</source>
        <translation>{field}太长（最多 {limit} 个字）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="120"/>
        <source>Name the SKU to replace and the SKU that replaces it.</source>
        <translation>请填写被替换的商品编码和替换后的商品编码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="122"/>
        <source>No active SKU {sku}.</source>
        <translation>没有在售商品 {sku}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="123"/>
        <source>Order {order_no} has no line with {sku}.</source>
        <translation>订单 {order_no} 中没有商品 {sku}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="124"/>
        <source>Order {order_no} is not in the exception queue (it is “{status}”).</source>
        <translation>订单 {order_no} 不在异常队列中（当前为“{status}”）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="126"/>
        <source>“{action}” is not an action for “{category}”.</source>
        <translation>“{action}”不适用于“{category}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="129"/>
        <source>No review rule {rule}.</source>
        <translation>没有审单规则 {rule}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="130"/>
        <source>A position is 0 or more.</source>
        <translation>顺序号须为 0 或以上。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="131"/>
        <source>Name two different rules.</source>
        <translation>请指定两条不同的规则。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="132"/>
        <source>The parameters of {rule} must be a JSON object.</source>
        <translation>“{rule}”的参数必须是 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="134"/>
        <source>{rule} has no parameter {names}.</source>
        <translation>“{rule}”没有参数 {names}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="135"/>
        <source>{param} of {rule} must be a whole number.</source>
        <translation>“{rule}”的{param}必须是整数。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="136"/>
        <source>{param} of {rule} must be at least {low}.</source>
        <translation>“{rule}”的{param}不能小于 {low}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="137"/>
        <source>{param} of {rule} must be between {low} and {high}.</source>
        <translation>“{rule}”的{param}须在 {low} 到 {high} 之间。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="139"/>
        <source>{param} of {rule} must be a list of phrases.</source>
        <translation>“{rule}”的{param}必须是短语列表。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="140"/>
        <source>{param} of {rule} must hold only text.</source>
        <translation>“{rule}”的{param}只能包含文字。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="142"/>
        <source>No warehouse {warehouse} or no carrier {carrier}.</source>
        <translation>找不到仓库 {warehouse} 或快递公司 {carrier}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="144"/>
        <source>No handover {handover_no}.</source>
        <translation>找不到交接单 {handover_no}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="145"/>
        <source>Handover {handover_no} is closed.</source>
        <translation>交接单 {handover_no} 已关闭。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="146"/>
        <source>No parcel {tracking_no}.</source>
        <translation>找不到包裹 {tracking_no}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="147"/>
        <source>Parcel {tracking_no} is in a handover already.</source>
        <translation>包裹 {tracking_no} 已在交接单中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="148"/>
        <source>Parcel {tracking_no} goes with another carrier.</source>
        <translation>包裹 {tracking_no} 属于其他快递公司。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="149"/>
        <source>Parcel {tracking_no} is not packed (its order is “{status}”).</source>
        <translation>包裹 {tracking_no} 尚未打包（订单为“{status}”）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="151"/>
        <source>Order {order_no} is intercepted ({intercept}): keep it off the truck.</source>
        <translation>订单 {order_no} 已拦截（{intercept}）：不要装车。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="157"/>
        <source>Handover {handover_no} is not closed: parcels {parcels} (orders {orders}) were intercepted after they were scanned, and orders {unpaid_orders} ({campaign}) have their balance not paid. Take them all off the truck and close again.</source>
        <translation>交接单 {handover_no} 未关闭：包裹 {parcels}（订单 {orders}）在扫描后被拦截，订单 {unpaid_orders}（{campaign}）尾款未付。请把它们全部从车上取下，再关闭交接单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="162"/>
        <source>No parcel was scanned: nothing to hand over.</source>
        <translation>尚未扫描任何包裹，无可交接。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="163"/>
        <source>Intercepted after packing ({intercept}): stopped at the dock.</source>
        <translation>打包后被拦截（{intercept}）：已在出库口截下。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="167"/>
        <source>Unknown wave strategy {strategy}.</source>
        <translation>未知的波次策略 {strategy}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="169"/>
        <source>These wave limits cannot work; check the numbers.</source>
        <translation>波次限制无法成立，请检查数值。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="170"/>
        <source>No wave {wave_no}.</source>
        <translation>找不到波次 {wave_no}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="171"/>
        <source>Wave {wave_no} is “{wave_status}”: only a wave nobody has started picking can be cancelled.</source>
        <translation>波次 {wave_no} 为“{wave_status}”：只有尚未开始拣货的波次才能取消。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="174"/>
        <source>Wave {wave_no} is taken by {user}.</source>
        <translation>波次 {wave_no} 已被 {user} 领取。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="175"/>
        <location filename="../../app/ui/messages.py" line="176"/>
        <source>Wave {wave_no} is “{wave_status}”.</source>
        <translation>波次 {wave_no} 为“{wave_status}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="177"/>
        <source>Someone else is picking wave {wave_no}.</source>
        <translation>波次 {wave_no} 正由他人拣货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="178"/>
        <source>Wave {wave_no} has no task {seq}.</source>
        <translation>波次 {wave_no} 没有第 {seq} 项任务。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="179"/>
        <source>Task {seq} is finished already.</source>
        <translation>第 {seq} 项任务已完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="180"/>
        <source>Scan the bin {bin} first.</source>
        <translation>请先扫描库位 {bin}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="182"/>
        <source>Wrong bin {scanned}: go to {bin}.</source>
        <translation>库位错误 {scanned}：请到 {bin}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="183"/>
        <source>The quantity is at least 1.</source>
        <translation>数量至少为 1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="184"/>
        <source>Wrong item: this task is {sku}.</source>
        <translation>商品错误：本任务是 {sku}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="185"/>
        <source>Too many: {left} left to pick.</source>
        <translation>拣多了：还剩 {left} 件待拣。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="186"/>
        <source>Nothing left to pick here for this wave&apos;s orders.</source>
        <translation>本波次订单在此处已无可拣商品。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="187"/>
        <source>A short pick finds fewer than the {left} units still to pick.</source>
        <translation>缺货登记的数量须少于剩余待拣的 {left} 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="189"/>
        <source>Short pick at {bin}: {sku} is {missing} short.</source>
        <translation>库位 {bin} 缺货：{sku} 少 {missing} 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="191"/>
        <source>No put-back task {task}.</source>
        <translation>找不到放回任务 {task}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="192"/>
        <source>This put-back is done already.</source>
        <translation>此放回任务已完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="193"/>
        <source>Put it back in {bin}.</source>
        <translation>请放回库位 {bin}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="194"/>
        <source>Wave {wave_no} is not waiting at the put wall.</source>
        <translation>波次 {wave_no} 不在播种墙待分拣。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="195"/>
        <source>Not an item of this wave.</source>
        <translation>不是本波次的商品。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="196"/>
        <source>No slot needs this item: put it aside for the shift lead.</source>
        <translation>没有格口需要此商品：请放在一旁交给组长。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="199"/>
        <source>Unknown document type {document}.</source>
        <translation>未知的单据类型 {document}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="200"/>
        <source>A reprint needs a reason (e.g. label torn).</source>
        <translation>重打需要填写原因（例如：标签破损）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="201"/>
        <source>No print job {job}.</source>
        <translation>找不到打印任务 {job}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="202"/>
        <source>Only a waiting job can be cancelled; this one is “{job_status}”.</source>
        <translation>只能取消等待中的任务；此任务为“{job_status}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="204"/>
        <source>This job kept no document to show.</source>
        <translation>此任务没有保存可预览的单据。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="206"/>
        <source>The carrier&apos;s tracking numbers are used up; load new numbers.</source>
        <translation>该快递公司的运单号已用完，请导入新号段。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="208"/>
        <source>Box {box} of {boxes}: boxes count from 1.</source>
        <translation>第 {box} 箱（共 {boxes} 箱）：箱号从 1 开始。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="209"/>
        <source>Order {order_no} has {boxes} box(es), not box {box}.</source>
        <translation>订单 {order_no} 只有 {boxes} 箱，没有第 {box} 箱。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="211"/>
        <source>Box {box} of order {order_no} has its label: printing it again is a reprint and needs a reason (e.g. label torn).</source>
        <translation>订单 {order_no} 的第 {box} 箱已有面单：再打印即为补打，须填写原因（如面单破损）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="214"/>
        <source>Order {order_no} is “{status}”: it has no carrier and warehouse yet, so no waybill.</source>
        <translation>订单 {order_no} 为“{status}”：尚未分配快递和仓库，无法生成面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="217"/>
        <source>Order {order_no} is intercepted ({intercept}): no label.</source>
        <translation>订单 {order_no} 已拦截（{intercept}）：不出面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="227"/>
        <source>The {provider} e-waybill service cannot be reached for order {order_no}: the order waits and Packline asks again by itself.</source>
        <translation>无法连接 {provider} 电子面单服务（订单 {order_no}）：订单等待中，系统会自动重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="278"/>
        <source>A block is 1 to 10,000 numbers.</source>
        <translation>一次领取 1 到 10,000 个单号。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="280"/>
        <source>The {carrier} tracking numbers are used up.</source>
        <translation>{carrier} 的运单号已用完。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="281"/>
        <source>No {carrier} tracking numbers left at this station; they are refilled when the central database is reachable.</source>
        <translation>本工作站的 {carrier} 运单号已用完；连上中心数据库后会自动补充。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="285"/>
        <source>Order {order_no} has no {payment} payment.</source>
        <translation>订单 {order_no} 没有{payment}付款记录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="286"/>
        <source>An address change needs the new receiver.</source>
        <translation>修改地址需要新的收件信息。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="287"/>
        <source>The new receiver has no {field}.</source>
        <translation>新的收件信息缺少{field}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="288"/>
        <source>{field} of the new receiver is too long (at most {limit}).</source>
        <translation>新收件信息的{field}太长（最多 {limit} 个字）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="290"/>
        <source>Unknown event type {event}.</source>
        <translation>未知的事件类型 {event}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="291"/>
        <source>An event needs its id or time as its key.</source>
        <translation>事件需要以编号或时间作为键。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="293"/>
        <source>Cannot read {path}.</source>
        <translation>无法读取 {path}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="397"/>
        <source>{created} created, {duplicates} already there, {broken} broken row(s)</source>
        <translation>新建 {created} 单，已存在 {duplicates} 单，有误 {broken} 行</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="399"/>
        <source>nothing imported: no order in {file} could be read</source>
        <translation>未导入任何订单：{file} 中没有一单能读取</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="402"/>
        <source>A station report needs its code and counts that are not negative.</source>
        <translation>工作站上报需要工作站编码和非负的数量。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="404"/>
        <source>Rate and duration must be above 0.</source>
        <translation>速率和时长必须大于 0。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="406"/>
        <source>No SKUs yet: seed the demo data first.</source>
        <translation>还没有商品：请先生成演示数据。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="407"/>
        <source>The number of orders is zero or more.</source>
        <translation>订单数须为 0 或以上。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="409"/>
        <source>The central database is not configured and this order is not held at the station.</source>
        <translation>未配置中心数据库，本工作站也没有这个订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="412"/>
        <source>The central database is not configured.</source>
        <translation>未配置中心数据库。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="413"/>
        <source>An override needs a reason.</source>
        <translation>放行需要填写原因。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="415"/>
        <source>The receiver&apos;s name is empty.</source>
        <translation>收件人姓名为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="416"/>
        <source>The receiver&apos;s name is {length} characters, at most {limit}.</source>
        <translation>收件人姓名有 {length} 个字，最多 {limit} 个。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="418"/>
        <source>The receiver&apos;s name {name} has no letters.</source>
        <translation>收件人姓名 {name} 中没有文字。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="421"/>
        <source>The receiver&apos;s phone is empty.</source>
        <translation>收件人电话为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="424"/>
        <source>The receiver&apos;s phone {phone} is a 400/800 service number.</source>
        <translation>收件人电话 {phone} 是 400/800 客服号码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="426"/>
        <source>The receiver&apos;s phone {phone} is not a mobile or landline number of the mainland, Hong Kong, Macau or Taiwan.</source>
        <translation>收件人电话 {phone} 不是有效的大陆、香港、澳门或台湾的手机或座机号码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="429"/>
        <source>The street address is empty (at least {minimum} characters).</source>
        <translation>详细地址为空（至少 {minimum} 个字）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="431"/>
        <source>The street address {line} is too short (at least {minimum} characters).</source>
        <translation>详细地址“{line}”太短（至少 {minimum} 个字）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="436"/>
        <source>{given} could be any of: {names}.</source>
        <translation>{given} 可能是以下任一地区：{names}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="437"/>
        <source>{given}: the region is not known.</source>
        <translation>{given}：无法识别该地区。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="438"/>
        <source>{given}: the province is empty.</source>
        <translation>{given}：省份为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="439"/>
        <source>{given}: unknown province {province}.</source>
        <translation>{given}：未知省份 {province}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="440"/>
        <source>{given}: {city} is not in {scope}.</source>
        <translation>{given}：{city} 不在 {scope}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="441"/>
        <source>{given}: the district is empty; {scope} has {count} districts.</source>
        <translation>{given}：区/县为空；{scope} 下有 {count} 个区县。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="443"/>
        <source>{given}: the city and district are empty; {scope} has {count} districts.</source>
        <translation>{given}：市和区/县为空；{scope} 下有 {count} 个区县。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="446"/>
        <source>{given}: {district} is not in {scope}.</source>
        <translation>{given}：{district} 不在 {scope}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="447"/>
        <source>The changed address no longer matches a region.</source>
        <translation>修改后的地址已无法对应到地区。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="449"/>
        <source>Unknown SKU: {skus}.</source>
        <translation>未知商品：{skus}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="512"/>
        <source>{campaign}: the balance may still be paid, or its payment reported late, until {ends_at}.</source>
        <translation>{campaign}：在 {ends_at} 之前尾款仍可支付，或其付款消息可能延迟到达。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="600"/>
        <source>{value} is outside 100 to 1000000000 (0: the log never rotates).</source>
        <translation>{value} 不在 100 到 1000000000 之间（0：日志从不轮转）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="606"/>
        <source>This is the station&apos;s, not a person&apos;s: set it in the machine-wide settings file {machine}. A person&apos;s own settings file sets only {personal}.</source>
        <translation>这一项属于工作站，不属于个人：请写在本机共用的设置文件 {machine} 中。个人的设置文件只能设置 {personal}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="610"/>
        <source>A device name is not blank and holds no [ ] or : and no control character.</source>
        <translation>设备名称不能为空，且不能含有 [ ] 或 :，也不能含控制字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="619"/>
        <source>“{pattern}” is not a valid barcode pattern (regular expression).</source>
        <translation>“{pattern}”不是有效的条码模式（正则表达式）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="621"/>
        <source>The barcode patterns cannot be used.</source>
        <translation>条码模式无法使用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="622"/>
        <source>A printer name is not blank and holds no [ ] or : and no control character.</source>
        <translation>打印机名称不能为空，且不能含有 [ ] 或 :，也不能含控制字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="331"/>
        <location filename="../../app/ui/messages.py" line="450"/>
        <source>The order has no lines.</source>
        <translation>订单没有商品行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="55"/>
        <source>This {provider} e-waybill prints only through that platform&apos;s print component; printer {printer} is not one.</source>
        <translation>{provider} 电子面单只能通过该平台的打印组件打印；打印机 {printer} 不是打印组件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="57"/>
        <source>A {provider} e-waybill does not print through printer {printer}, the {language} print component.</source>
        <translation>{provider} 电子面单不能通过打印机 {printer}（{language} 打印组件）打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="59"/>
        <source>Printer {printer} is a platform&apos;s print component: it prints that platform&apos;s e-waybills, not waybills Packline draws.</source>
        <translation>打印机 {printer} 是平台打印组件：只打印该平台的电子面单，不打印本系统自绘的面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="61"/>
        <source>Printer {printer} needs custom_template = URL (a custom-area template) to print this document.</source>
        <translation>打印机 {printer} 需要设置「custom_template」（自定义区模板的网址）才能打印此单据。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="78"/>
        <source>The reserve is a share between 0 and 100 %.</source>
        <translation>预留比例应在 0 到 100 % 之间。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="80"/>
        <source>A person&apos;s rate is orders per hour, above zero.</source>
        <translation>人均效率是每小时单量，必须大于零。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="82"/>
        <source>Volumes and multipliers cannot be negative.</source>
        <translation>单量和倍数不能为负数。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="84"/>
        <source>Forecast 1 to 31 days.</source>
        <translation>预测天数为 1 到 31 天。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="86"/>
        <source>Shop code “{value}”: 1 to 32 letters, digits, - or _.</source>
        <translation>店铺代码“{value}”：1 至 32 个字母、数字、- 或 _。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="88"/>
        <source>The shop&apos;s {field} is too long (at most {limit}).</source>
        <translation>店铺的 {field} 太长（最多 {limit}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="90"/>
        <source>“{value}” is not an http(s) gateway address.</source>
        <translation>“{value}”不是网关地址（须以「http://」或「https://」开头）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="92"/>
        <source>The gateway address may not hold a user or password.</source>
        <translation>网关地址中不能包含用户名或密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="94"/>
        <source>“{value}”: write CARRIER=PROVIDER.</source>
        <translation>“{value}”：请写成 快递公司=面单服务。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="97"/>
        <source>Waybill provider “{value}”: one of {choices}.</source>
        <translation>面单服务“{value}”：须为 {choices} 之一。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="99"/>
        <source>Confirm shipment on “{value}”: one of {choices}.</source>
        <translation>发货回传时机“{value}”：须为 {choices} 之一。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="101"/>
        <source>No channel {channel}.</source>
        <translation>没有渠道 {channel}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="102"/>
        <source>The new shop {shop} needs its channel and name.</source>
        <translation>新店铺 {shop} 需要填写渠道和名称。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="104"/>
        <source>That shop already has the code {shop}.</source>
        <translation>该店铺已有代码 {shop}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="106"/>
        <source>No shop {shop}.</source>
        <translation>没有店铺 {shop}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="107"/>
        <source>Shop {shop} has no gateway address or app key.</source>
        <translation>店铺 {shop} 未设置网关地址或应用密钥标识。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="109"/>
        <source>Shop {shop} has no app secret: set {env} or the keyring ({service}).</source>
        <translation>店铺 {shop} 没有应用密钥：请设置环境变量 {env} 或系统钥匙串（{service}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="111"/>
        <source>Page size 1 to 100.</source>
        <translation>每页 1 至 100 条。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="112"/>
        <source>Packline cannot pull orders of channel {channel} (shop {shop}).</source>
        <translation>暂不支持从渠道 {channel} 拉取订单（店铺 {shop}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="114"/>
        <source>“{value}” is not a time of day like 18:00.</source>
        <translation>“{value}”不是时刻，应写成 18:00 这样的格式。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="153"/>
        <source>Handover {handover_no} is not closed: parcels {parcels} (orders {orders}) were intercepted after they were scanned. Take them off the truck and close again.</source>
        <translation>交接单 {handover_no} 未关闭：包裹 {parcels}（订单 {orders}）扫描上车后被拦截。请把它们从车上取下，再关闭交接单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="181"/>
        <source>Scan the bin {bin} first, then the item.</source>
        <translation>请先扫描库位 {bin}，再扫商品。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="220"/>
        <source>The shop names the waybill provider “{provider}” for {carrier}, which Packline does not know (pool, cainiao, pdd, douyin).</source>
        <translation>店铺为 {carrier} 设置的面单服务“{provider}”无法识别（可选：「pool」、「cainiao」、「pdd」、「douyin」）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="223"/>
        <source>The receiver is encrypted by the platform: only the platform&apos;s e-waybill service can print this order, not the self-managed pool. Set the shop&apos;s waybill provider for {carrier}.</source>
        <translation>收件人信息由平台加密：此订单只能使用平台电子面单打印，不能使用自有单号池。请为 {carrier} 设置店铺的面单服务。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="230"/>
        <source>{provider} refused the waybill of order {order_no}: {reason}</source>
        <translation>{provider} 拒绝为订单 {order_no} 出面单：{reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="232"/>
        <source>The shop is not connected to its platform: it cannot use {provider} waybills.</source>
        <translation>该店铺未接入平台，无法使用 {provider} 面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="235"/>
        <source>Box {box} of order {order_no} is getting its waybill elsewhere: try again.</source>
        <translation>订单 {order_no} 第 {box} 箱正在别处取号，请重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="237"/>
        <source>The waybill {tracking_no} of box {box} was cancelled at its provider.</source>
        <translation>第 {box} 箱的面单 {tracking_no} 已在面单服务处取消。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="239"/>
        <source>Order {order_no} gets its waybill from {provider}: print it at a packing station with that platform&apos;s print component.</source>
        <translation>订单 {order_no} 的面单由 {provider} 提供：请在装有该平台打印组件的打包台打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="242"/>
        <source>Box {box} of order {order_no} holds the {provider} waybill {tracking_no} issued before the order was routed again: it is given back, and the box gets its new waybill at a packing station.</source>
        <translation>订单 {order_no} 的第 {box} 箱持有改派前由 {provider} 发放的面单 {tracking_no}：该面单将被回收，请在打包台为该箱重新获取面单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="246"/>
        <source>Order {order_no} needs the network for its waybill (box {box}): it waits, nothing is printed. Confirm again when the network is back.</source>
        <translation>订单 {order_no} 需要联网取面单（第 {box} 箱）：订单等待中，未打印任何面单。网络恢复后请再次确认。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="249"/>
        <source>The waybill of order {order_no} (box {box}) is being fetched from the platform: it prints in a moment, nothing to do.</source>
        <translation>订单 {order_no}（第 {box} 箱）的面单正在从平台获取：稍后自动打印，无需操作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="252"/>
        <source>The platform refused the waybill of order {order_no} (box {box}): set the order aside; the shift lead has it in the exception queue.</source>
        <translation>平台拒绝了订单 {order_no}（第 {box} 箱）的面单：请先把订单放到一边，班组长已在异常队列中看到。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="255"/>
        <source>Packline cannot ask {provider} for waybills (it asks {choices}): choose one of those for {carrier}.</source>
        <translation>本系统无法向 {provider} 取面单（仅支持：{choices}）：请为 {carrier} 改选其中之一。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="258"/>
        <source>No printer for {provider} waybills at this station: name one in [printers] waybill_{provider}.</source>
        <translation>本工位没有打印 {provider} 面单的打印机：请在「[printers]」中设置「waybill_{provider}」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="261"/>
        <source>No printer for {provider} waybills at this station: name one in [printers] {role}.</source>
        <translation>本工位没有打印 {provider} 面单的打印机：请在「[printers]」中设置「{role}」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="265"/>
        <source>Unknown status {status}; one of: {choices}.</source>
        <translation>未知状态 {status}；可选：{choices}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="267"/>
        <source>No shipment confirmation {id}.</source>
        <translation>没有发货回传记录 {id}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="268"/>
        <source>Shipment confirmation {id} is “{status}”: nothing to retry.</source>
        <translation>发货回传 {id} 为“{status}”：无需重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="270"/>
        <source>The platform refused the shipment confirmation of {channel_order_no} ({tracking_no}): {error}</source>
        <translation>平台拒绝了 {channel_order_no}（{tracking_no}）的发货回传：{error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="273"/>
        <source>The platform took the shipment confirmation of {channel_order_no} ({tracking_no}) after its waybill was given back: it shows the order shipped under a waybill being cancelled. Settle it with the platform.</source>
        <translation>面单回收后平台仍接受了 {channel_order_no}（{tracking_no}）的发货回传：平台显示该订单已用一张正在取消的面单发货。请与平台处理。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="294"/>
        <source>{path} is neither UTF-8 nor GB18030 text (line {line}: byte {byte}).</source>
        <translation>{path} 既不是 UTF-8 也不是 GB18030 文本（第 {line} 行：字节 {byte}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="297"/>
        <source>{field} is missing.</source>
        <translation>缺少 {field}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="299"/>
        <source>{field} must be text, not {kind}.</source>
        <translation>{field} 必须是文本，而不是 {kind}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="303"/>
        <source>{field} is longer than {limit} characters.</source>
        <translation>{field} 超过 {limit} 个字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="305"/>
        <source>{field} holds {char} at character {position}: a control character.</source>
        <translation>{field} 第 {position} 个字符是 {char}：控制字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="307"/>
        <source>{field} holds {char} at character {position}: a broken UTF-16 surrogate.</source>
        <translation>{field} 第 {position} 个字符是 {char}：残缺的 UTF-16 代理字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="309"/>
        <source>{field} holds {char} at character {position}: a private-use character.</source>
        <translation>{field} 第 {position} 个字符是 {char}：私用区字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="311"/>
        <source>{field} holds {char} at character {position}: a direction override that reorders the label.</source>
        <translation>{field} 第 {position} 个字符是 {char}：会打乱面单文字顺序的方向控制符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="313"/>
        <source>{field} holds {char} at character {position}: not a character in Unicode 14.</source>
        <translation>{field} 第 {position} 个字符是 {char}：不是统一码 14 版中已有的字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="315"/>
        <source>{field} holds {char} at character {position}: not in any label font Packline carries.</source>
        <translation>{field} 第 {position} 个字符是 {char}：本系统的面单字体都无法打印。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="317"/>
        <source>{field} must be a positive integer, not {value}.</source>
        <translation>{field} 必须是正整数，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="319"/>
        <source>{field} {value} is out of range.</source>
        <translation>{field} {value} 超出范围。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="321"/>
        <source>{field} {value} is not an amount in yuan (not negative, at most two decimals).</source>
        <translation>{field} {value} 不是以元为单位的金额（不能为负，最多两位小数）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="323"/>
        <source>{field} {value} is not an ISO 8601 time.</source>
        <translation>{field} {value} 不是 ISO 8601 时间。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="325"/>
        <source>{field} {value} is a time out of range.</source>
        <translation>{field} {value} 时间超出范围。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="327"/>
        <source>vip_level must be an integer 0-10, not {value}.</source>
        <translation>会员等级「vip_level」必须是 0 到 10 的整数，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="329"/>
        <source>presale must be an object or null.</source>
        <translation>预售信息「presale」必须是对象或「null」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="333"/>
        <source>Not an order: expected a JSON object.</source>
        <translation>不是订单：应为 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="335"/>
        <source>{field} must be an object.</source>
        <translation>{field} 必须是对象。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="337"/>
        <source>The line is longer than {limit} bytes: not read.</source>
        <translation>该行超过 {limit} 字节，未读取。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="339"/>
        <source>Not {encoding} text: byte {byte} at byte {position} of the line.</source>
        <translation>不是 {encoding} 文本：该行第 {position} 个字节为 {byte}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="341"/>
        <source>Order {order} appears {count} times (lines {lines}), one of them broken: it is refused everywhere; keep one.</source>
        <translation>订单 {order} 出现 {count} 次（第 {lines} 行），其中有一行有误：所有这些行都不导入；只保留一行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="343"/>
        <source>Order {order} appears {count} times (lines {lines}) with different contents: it is refused everywhere; keep one.</source>
        <translation>订单 {order} 出现 {count} 次（第 {lines} 行），内容不同：所有这些行都不导入；只保留一行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="345"/>
        <source>Not valid JSON ({detail} at column {column}).</source>
        <translation>不是有效的 JSON（第 {column} 列：{detail}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="347"/>
        <source>Not an order: JSON nested too deeply.</source>
        <translation>不是订单：JSON 嵌套过深。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="349"/>
        <source>A field is longer than {limit} characters (oversize): not read.</source>
        <translation>有字段超过 {limit} 个字符（过长），未读取。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="351"/>
        <source>A field holds a line break (this record runs on to line {last}): put the field on one line.</source>
        <translation>字段中含有换行（该记录一直延续到第 {last} 行）：请把该字段写在一行内。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="353"/>
        <source>Continues the record of line {first} (a field broken over lines).</source>
        <translation>是第 {first} 行记录的延续（字段被换行拆开）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="355"/>
        <source>A quote opened at column {column} is not closed on this line; reading goes on at the next line.</source>
        <translation>第 {column} 列的引号在本行没有闭合；从下一行继续读取。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="357"/>
        <source>Cannot be read as CSV ({detail}).</source>
        <translation>无法按 CSV 读取（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="359"/>
        <source>The CSV header cannot be read.</source>
        <translation>无法读取 CSV 表头。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="361"/>
        <source>The CSV header lacks column(s): {columns}.</source>
        <translation>CSV 表头缺少列：{columns}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="363"/>
        <source>More fields than the header has.</source>
        <translation>字段数比表头多。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="365"/>
        <source>The receiver differs from line {first} of the same order (rows of one order share the receiver).</source>
        <translation>收件人与同一订单第 {first} 行不同（同一订单的各行收件人必须相同）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="367"/>
        <source>Skipped: order {order} has a broken row.</source>
        <translation>已跳过：订单 {order} 有错误行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="369"/>
        <source>Unknown channel {channel}; known: {known}.</source>
        <translation>未知渠道 {channel}；已知渠道：{known}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="371"/>
        <source>Unknown presale campaign {campaign}.</source>
        <translation>未知预售活动 {campaign}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="373"/>
        <source>Refused by the database: {detail}.</source>
        <translation>数据库拒绝：{detail}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="376"/>
        <source>{path} is not an .xlsx workbook.</source>
        <translation>{path} 不是「.xlsx」工作簿。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="378"/>
        <source>The header row names neither a Taobao/Tmall order export nor a Pinduoduo one.</source>
        <translation>表头既不是淘宝/天猫订单导出，也不是拼多多订单导出。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="380"/>
        <source>The header row lacks column(s): {columns}.</source>
        <translation>表头缺少列：{columns}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="382"/>
        <source>{field} {value} was stored as a number and has lost its last digits: export the column as text.</source>
        <translation>{field} {value} 以数字保存，末尾几位已丢失：请把该列导出为文本。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="384"/>
        <source>The order is “{status}” on the platform: only orders waiting to ship are imported.</source>
        <translation>该订单在平台上是“{status}”：只导入待发货的订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="386"/>
        <source>The export hides the receiver ({field} is masked): pull the shop&apos;s orders through its platform instead.</source>
        <translation>导出文件隐藏了收件人（{field} 已打码）：请改为通过平台接口拉取该店铺的订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="388"/>
        <source>The address {address} does not start with a province, city and district Packline knows.</source>
        <translation>地址 {address} 开头不是可识别的省、市、区县。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="390"/>
        <source>The row lists {count} kinds of goods in one order: export the item report, one row per item.</source>
        <translation>该行一个订单含 {count} 种宝贝：请导出宝贝报表（每件宝贝一行）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="392"/>
        <source>{field} holds a character that is not printable ASCII at character {position} (a platform ciphertext or id is letters, digits and signs).</source>
        <translation>{field} 第 {position} 个字符不是可打印的 ASCII 字符（平台密文或编号只含字母、数字和符号）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="394"/>
        <source>{field} must be an object of ciphertexts (name, phone, address).</source>
        <translation>{field} 须为密文对象（姓名、电话、地址）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="405"/>
        <source>The share of encrypted orders is from 0 to 1.</source>
        <translation>加密订单的比例须在 0 到 1 之间。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="419"/>
        <source>The receiver&apos;s name {name} is masked, but the order carries no platform ciphertext or OAID to print the real one from.</source>
        <translation>收件人姓名 {name} 是脱敏后的，但订单没有平台密文或 OAID，无法打印真实姓名。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="422"/>
        <source>The receiver&apos;s phone {phone} is not a platform&apos;s mask of a phone number (digits and *, 7 to 15 of them, e.g. 138****8000).</source>
        <translation>收件人电话 {phone} 不是平台脱敏的电话号码（数字和 *，共 7 到 15 位，如 138****8000）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="434"/>
        <source>The street address {line} is masked, but the order carries no platform ciphertext or OAID to print the real one from.</source>
        <translation>详细地址 {line} 是脱敏后的，但订单没有平台密文或 OAID，无法打印真实地址。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="451"/>
        <source>Quantities must be above 0: {lines}.</source>
        <translation>数量必须大于 0：{lines}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="452"/>
        <source>The discount {discount} is negative.</source>
        <translation>优惠 {discount} 为负数。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="453"/>
        <source>The amount {amount} is negative.</source>
        <translation>实付金额 {amount} 为负数。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="454"/>
        <source>Goods {goods}, but the lines add up to {lines}.</source>
        <translation>商品金额 {goods}，但各行合计为 {lines}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="456"/>
        <source>Paid {amount}, but goods {goods} − discount {discount} = {expected}.</source>
        <translation>实付 {amount}，但商品 {goods} − 优惠 {discount} = {expected}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="459"/>
        <source>Not enough stock: {sku} needs {qty}, {available} available.</source>
        <translation>库存不足：{sku} 需要 {qty} 件，可用 {available} 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="461"/>
        <source>Not enough in the presale pool: {sku} needs {qty}, {available} available.</source>
        <translation>预售库存不足：{sku} 需要 {qty} 件，可用 {available} 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="464"/>
        <source>The region {region} is not known ({category}).</source>
        <translation>无法识别地区 {region}（{category}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="466"/>
        <source>The order is not paid.</source>
        <translation>订单未付款。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="467"/>
        <source>The presale balance is not paid.</source>
        <translation>预售尾款未付。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="468"/>
        <source>Buyer {buyer} is on the buyer blacklist.</source>
        <translation>买家 {buyer} 在买家黑名单中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="469"/>
        <source>Phone {phone} is on the phone blacklist.</source>
        <translation>电话 {phone} 在电话黑名单中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="470"/>
        <source>The address contains blacklisted {entries}.</source>
        <translation>地址包含黑名单内容：{entries}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="472"/>
        <source>The buyer&apos;s remark needs a person: {remark}</source>
        <translation>买家备注需人工处理：{remark}</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="473"/>
        <source>Amount {amount} is at or above {threshold}: a person reviews it.</source>
        <translation>金额 {amount} 达到 {threshold}：需人工审核。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="476"/>
        <source>Order {order_no} was packed already (“{status}”); station {station} packed it again.</source>
        <translation>订单 {order_no} 已打包过（“{status}”）；工作站 {station} 又打包了一次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="479"/>
        <source>Order {order_no} was intercepted ({intercept}) before the packing of station {station} reached the central database.</source>
        <translation>订单 {order_no} 在工作站 {station} 的打包记录到达中心数据库之前已被拦截（{intercept}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="482"/>
        <source>The tracking number of order {order_no} is used by another parcel.</source>
        <translation>订单 {order_no} 的运单号已被其他包裹使用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="484"/>
        <source>Order {order_no} was “{status}” (wave {wave}), not picked, when station {station} packed it: parcel {parcels} has no central record; find the parcel.</source>
        <translation>工位 {station} 打包订单 {order_no} 时，该订单为“{status}”（波次 {wave}），尚未拣货：包裹 {parcels} 在中心没有记录，请找到该包裹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="488"/>
        <source>Another station wrote this order&apos;s box or tracking number at the same moment; check the parcel.</source>
        <translation>另一工作站同时写入了该订单的箱子或运单号，请核对包裹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="492"/>
        <source>Order {order_no} ({campaign}): its balance is not paid. Keep the parcel on the staging shelf.</source>
        <translation>订单 {order_no}（{campaign}）尾款未付，包裹留在暂存架上，不能交接。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="494"/>
        <location filename="../../app/ui/messages.py" line="525"/>
        <source>No presale campaign {campaign}.</source>
        <translation>没有预售活动 {campaign}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="496"/>
        <source>Unknown stock mode {mode}; choose one of: {choices}.</source>
        <translation>未知的库存模式 {mode}，可选：{choices}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="498"/>
        <source>{campaign} already has {orders} orders: its stock mode can no longer change.</source>
        <translation>{campaign} 已有 {orders} 个订单，库存模式不能再改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="500"/>
        <source>Orders per wave must be at least 1 (got {value}).</source>
        <translation>每波次订单数至少为 1（收到 {value}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="502"/>
        <source>{campaign} reserves no real stock: nothing to pack before the balance.</source>
        <translation>{campaign} 未预占真实库存，没有可预打包的订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="504"/>
        <source>Order {order_no} is handed over ({status}): it cannot be unpacked.</source>
        <translation>订单 {order_no} 已交接（{status}），不能拆包。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="506"/>
        <source>Order {order_no} is not a presale order.</source>
        <translation>订单 {order_no} 不是预售订单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="508"/>
        <source>Order {order_no}: its balance is paid and nothing stops it. Ship it.</source>
        <translation>订单 {order_no} 尾款已付且未拦截，应当发货，不能拆包。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="510"/>
        <source>Order {order_no} ({status}) has nothing picked or packed to unpack.</source>
        <translation>订单 {order_no}（{status}）没有已拣或已打包的商品可拆。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="514"/>
        <source>{campaign}: not enough real stock for {asked} more units.</source>
        <translation>{campaign}：真实库存不足，无法再预占 {asked} 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="516"/>
        <source>After {step}: {figure} is {found}, expected {expected}.</source>
        <translation>{step} 之后：{figure} 为 {found}，应为 {expected}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="518"/>
        <source>The presale scenario needs at least 10 orders, with some left to pay (got {value}).</source>
        <translation>预售演练至少需要 10 个订单，且须有付尾款的订单（收到 {value}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="520"/>
        <source>Presale order without a known campaign.</source>
        <translation>预售订单没有对应的预售活动。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="521"/>
        <source>{campaign}: {promised} of {capacity} units promised, {asked} more asked.</source>
        <translation>{campaign}：已承诺 {promised}/{capacity} 件，本单还需 {asked} 件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="527"/>
        <source>The report would start on {since}, after it ends on {until}: choose the days again.</source>
        <translation>报表开始日期 {since} 晚于结束日期 {until}：请重新选择日期。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="530"/>
        <source>No warehouse can ship: {skus}.</source>
        <translation>没有仓库能发货：{skus}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="531"/>
        <source>No warehouse can ship: {skus} (capacity full today).</source>
        <translation>没有仓库能发货：{skus}（今日产能已满）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="533"/>
        <source>No carrier takes {weight} g to {province}.</source>
        <translation>没有快递承接 {weight} 克发往{province}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="534"/>
        <source>No carrier takes {weight} g of bulky goods to {province}.</source>
        <translation>没有快递承接 {weight} 克大件发往{province}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="537"/>
        <source>Tick the waves to release first.</source>
        <translation>请先勾选要释放的波次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="538"/>
        <source>The preview has changed: preview again.</source>
        <translation>预览已变化：请重新预览。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="539"/>
        <source>{wave}: picking has started, it can no longer be cancelled.</source>
        <translation>{wave}：已开始拣货，不能再取消。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="540"/>
        <source>{wave} is not being picked now.</source>
        <translation>{wave} 当前不在拣货中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="541"/>
        <source>{wave} is being picked by another picker.</source>
        <translation>{wave} 正由其他拣货员拣货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="542"/>
        <source>{wave}: {units} units are picked already. Hand the wave back instead, or call the shift lead.</source>
        <translation>{wave}：已拣 {units} 件。请改为交还波次，或联系组长。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="545"/>
        <source>Order {order} is still in wave {wave}, not picked yet: pick it first.</source>
        <translation>订单 {order} 仍在波次 {wave} 中，尚未拣货：请先拣货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="547"/>
        <source>Order {order} is not picked yet ({status}): pick it first.</source>
        <translation>订单 {order} 尚未拣货（{status}）：请先拣货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="549"/>
        <source>Order {order} is {status}: it cannot be packed. Give it to the shift lead.</source>
        <translation>订单 {order} 状态为「{status}」，不能打包。请交给组长。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="551"/>
        <source>Order {order} is not available offline: this station does not hold it and the central database cannot be reached. Pack another order or wait for the network.</source>
        <translation>订单 {order} 离线不可用：本打包台没有缓存此单，且连不上中心数据库。请先打包其他订单或等待网络恢复。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="554"/>
        <source>The waybill of order {order} cannot be printed: its receiver&apos;s text does not fit the label. Set the order aside (F3) and give it to the shift lead.</source>
        <translation>订单 {order} 的面单无法打印：收件人信息放不下面单。请按 F3 暂放此单，交给组长处理。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="557"/>
        <source>No order or waybill {code_scanned}: check the label and scan again.</source>
        <translation>没有订单或运单 {code_scanned}：请检查面单后重新扫描。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="558"/>
        <source>There is no wave {wave}.</source>
        <translation>没有波次 {wave}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="559"/>
        <source>Wave {wave} is not picked yet: pick it first.</source>
        <translation>波次 {wave} 尚未拣货完成：请先拣货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="561"/>
        <source>Wave {wave} was cancelled: its orders went back to the queue.</source>
        <translation>波次 {wave} 已取消：其订单已退回队列。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="562"/>
        <source>Wave {wave} is not available offline: the central database cannot be reached.</source>
        <translation>波次 {wave} 离线不可用：连不上中心数据库。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="566"/>
        <source>This value cannot be used.</source>
        <translation>这个值不能用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="567"/>
        <source>There is no such file.</source>
        <translation>没有这个文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="568"/>
        <source>The file cannot be read ({why}).</source>
        <translation>文件读不出来（{why}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="569"/>
        <source>The file is neither UTF-8 nor GB18030 (byte {byte} fits neither): save it as UTF-8.</source>
        <translation>文件既不是 UTF-8 也不是 GB18030（字节 {byte} 两种都不符合）：请另存为 UTF-8。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="571"/>
        <source>A key comes before the first [section] header.</source>
        <translation>第一个 [节] 标题之前就出现了键。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="572"/>
        <source>This key is given twice.</source>
        <translation>这个键写了两次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="573"/>
        <source>This section is given twice.</source>
        <translation>这个节写了两次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="574"/>
        <source>This line is neither a [section], a key = value nor a comment.</source>
        <translation>这一行既不是 [节]，也不是 键 = 值，也不是注释。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="576"/>
        <source>Unknown key (known here: {known}).</source>
        <translation>未知的键（这里可用：{known}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="577"/>
        <source>Unknown section: Packline does not read it.</source>
        <translation>未知的节：本系统不读它。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="578"/>
        <source>“{value}” is not one of {allowed}.</source>
        <translation>“{value}”不在可选值 {allowed} 之中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="579"/>
        <source>“{value}” is not a whole number ({minimum} to {maximum}).</source>
        <translation>“{value}”不是整数（{minimum} 到 {maximum}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="581"/>
        <source>“{value}” is not a number ({minimum} to {maximum}).</source>
        <translation>“{value}”不是数字（{minimum} 到 {maximum}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="583"/>
        <source>{value} is outside {minimum} to {maximum}.</source>
        <translation>{value} 超出范围 {minimum} 到 {maximum}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="585"/>
        <source>“{value}” is not true or false (also yes/no, on/off, 1/0).</source>
        <translation>“{value}”不是「true」或「false」（也可写「yes/no」、「on/off」、1/0）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="587"/>
        <source>Holds a character that cannot be used ({char}) at character {position}.</source>
        <translation>第 {position} 个字符不能使用（{char}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="589"/>
        <source>Longer than {limit} characters.</source>
        <translation>超过 {limit} 个字符。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="590"/>
        <source>“{value}” is not a code: 1 to 32 letters or digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit.</source>
        <translation>“{value}”不是有效编码：1 到 32 个字母、数字、&apos;.&apos;、&apos;_&apos; 或 &apos;-&apos;，以字母或数字开头。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="592"/>
        <source>“{value}” is not a list of shifts like day=08:00-20:00, night=20:00-08:00.</source>
        <translation>“{value}”不是班次列表，应写成“白班=08:00-20:00, 夜班=20:00-08:00”的格式（班次名=开始-结束，逗号分隔）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="594"/>
        <source>Not the URL of a PostgreSQL server (postgresql+psycopg://USER@HOST:PORT/DB): a read replica is a PostgreSQL standby.</source>
        <translation>不是数据库服务器的地址（应如「postgresql+psycopg://USER@HOST:PORT/DB」）：只读副本须是中心数据库的流复制备库。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="596"/>
        <source>A value is one line.</source>
        <translation>值只能是一行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="597"/>
        <source>There is no settings file to save to.</source>
        <translation>没有可以保存的设置文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="598"/>
        <source>This value cannot be written to the settings file (a ; or # after a space starts a comment).</source>
        <translation>这个值无法写入设置文件（空格后的 ; 或 # 会被当作注释）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="602"/>
        <source>This file was written for settings version {value}; this Packline reads up to version {current}. Run the Packline it was written for, or use a file written for this one.</source>
        <translation>此文件是为设置版本 {value} 编写的，本系统最多只能读取版本 {current}：请使用编写它的那个较新版本的程序，或改用为当前版本编写的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="604"/>
        <source>“{value}” is not SECTION.KEY=VALUE (e.g. --set ui.language=en).</source>
        <translation>“{value}”不是「节.键=值」的写法（例如「--set ui.language=en」）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="608"/>
        <source>The file could not be upgraded from settings version {version} to {current} ({why}); it was left as it was.</source>
        <translation>文件无法从设置版本 {version} 升级到 {current}（{why}），已保持原样未改动。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="612"/>
        <source>A wedge scanner is a keyboard and has no URL.</source>
        <translation>键盘式扫描枪就是键盘，没有 URL。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="613"/>
        <source>A URL is required for a {kind}.</source>
        <translation>{kind} 需要填写 URL。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="614"/>
        <source>protocol= is for scales.</source>
        <translation>「protocol=」只用于电子秤。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="615"/>
        <source>At least max_interkey_ms ({minimum}).</source>
        <translation>至少为「max_interkey_ms」（{minimum}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="616"/>
        <source>A device named {name} exists already.</source>
        <translation>已有名为 {name} 的设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="617"/>
        <source>There is no device named {name}.</source>
        <translation>没有名为 {name} 的设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="618"/>
        <source>A {kind} has no driver of its own.</source>
        <translation>{kind} 没有自己的驱动。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="624"/>
        <source>A URL is required, e.g. tcp://192.168.1.50:9100.</source>
        <translation>需要填写 URL，例如「tcp://192.168.1.50:9100」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="625"/>
        <source>An escpos+ printer speaks escpos.</source>
        <translation>「escpos+」打印机只用「escpos」语言。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="626"/>
        <source>raw=0 prints through the Windows driver, which takes language = pdf or png, not {language}.</source>
        <translation>「raw=0」表示经打印机驱动打印，驱动只接受「language = pdf」或「png」，而不是 {language}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="628"/>
        <source>A printer cannot be its own backup.</source>
        <translation>打印机不能做自己的备用打印机。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="629"/>
        <source>A {scheme}:// printer is that platform&apos;s print component: set language = {scheme}.</source>
        <translation>「{scheme}://」打印机是该平台的打印组件：请设置「language = {scheme}」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="631"/>
        <source>language = {language} is for that platform&apos;s print component: the URL is {language}://HOST:PORT?printer=NAME.</source>
        <translation>「language = {language}」用于该平台的打印组件：网址应为「{language}://主机:端口?printer=名称」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="633"/>
        <source>custom_template is for print component printers only.</source>
        <translation>「custom_template」只用于打印组件打印机。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="635"/>
        <source>custom_template is the custom-area template&apos;s http:// or https:// URL.</source>
        <translation>「custom_template」是自定义区模板的「http://」或「https://」网址。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="637"/>
        <source>The backup {printer} must speak {language} too: a print component and another kind of printer cannot stand in for each other.</source>
        <translation>备用打印机 {printer} 也必须使用 {language}：打印组件与其他打印机不能互相替代。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="639"/>
        <source>There is no printer named {printer}.</source>
        <translation>没有名为 {printer} 的打印机。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="640"/>
        <source>There is no printer role {role}.</source>
        <translation>没有打印用途 {role}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="642"/>
        <source>This device URL cannot be used.</source>
        <translation>此设备 URL 无法使用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="643"/>
        <source>The device URL is empty.</source>
        <translation>设备 URL 为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="644"/>
        <source>Not a device URL: it starts with scheme://, e.g. serial:///dev/ttyUSB0 or socket://127.0.0.1:7000.</source>
        <translation>不是设备 URL：应以「scheme://」开头，例如「serial:///dev/ttyUSB0」或「socket://127.0.0.1:7000」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="646"/>
        <source>Unknown device URL scheme {scheme}: use serial://, usbserial://, socket://, sim:// or a pyserial URL.</source>
        <translation>未知的设备 URL 类型 {scheme}：请使用「serial://」、「usbserial://」、「socket://」、「sim://」或「pyserial」URL。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="648"/>
        <location filename="../../app/ui/messages.py" line="682"/>
        <source>Not a URL (check the brackets in the host).</source>
        <translation>不是 URL（请检查主机部分的方括号）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="649"/>
        <source>A device URL has no #fragment.</source>
        <translation>设备 URL 不能带 #片段。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="650"/>
        <source>serial:// needs a device path, e.g. serial:///dev/ttyUSB0.</source>
        <translation>「serial://」需要设备路径，例如「serial:///dev/ttyUSB0」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="652"/>
        <location filename="../../app/ui/messages.py" line="695"/>
        <source>The option {option} is given twice.</source>
        <translation>选项 {option} 重复给出。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="653"/>
        <location filename="../../app/ui/messages.py" line="696"/>
        <source>Unknown option {option} (known: {known}).</source>
        <translation>未知选项 {option}（可用：{known}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="655"/>
        <location filename="../../app/ui/messages.py" line="705"/>
        <source>baud is a whole number from 50 to 4000000, not “{value}”.</source>
        <translation>「baud」应为 50 到 4000000 的整数，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="657"/>
        <location filename="../../app/ui/messages.py" line="707"/>
        <source>bytesize is 5, 6, 7 or 8, not “{value}”.</source>
        <translation>「bytesize」应为 5、6、7 或 8，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="659"/>
        <location filename="../../app/ui/messages.py" line="709"/>
        <source>parity is N, E, O, M or S, not “{value}”.</source>
        <translation>「parity」应为 N、E、O、M 或 S，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="661"/>
        <location filename="../../app/ui/messages.py" line="711"/>
        <source>stopbits is 1, 1.5 or 2, not “{value}”.</source>
        <translation>「stopbits」应为 1、1.5 或 2，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="663"/>
        <source>suffix is CR, LF, CRLF or NONE, not “{value}”.</source>
        <translation>「suffix」应为 CR、LF、CRLF 或 NONE，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="665"/>
        <source>prefix is empty.</source>
        <translation>「prefix」为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="666"/>
        <source>timeout_ms is a whole number from 1 to 10000, not “{value}”.</source>
        <translation>「timeout_ms」应为 1 到 10000 的整数，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="668"/>
        <source>protocol is ad or toledo, not “{value}”.</source>
        <translation>「protocol」应为「ad」或「toledo」，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="670"/>
        <source>unit is kg, g or lb, not “{value}”.</source>
        <translation>「unit」应为「kg」、「g」或「lb」，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="671"/>
        <source>usbserial:// needs VID:PID in hex and at most one serial number, e.g. usbserial://1a86:7523.</source>
        <translation>「usbserial://」需要十六进制的「VID:PID」，最多一个序列号，例如「usbserial://1a86:7523」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="673"/>
        <source>socket:// needs HOST:PORT with a port from 1 to 65535 and no path, e.g. socket://127.0.0.1:7000.</source>
        <translation>「socket://」需要「HOST:PORT」（端口 1 到 65535，不带路径），例如「socket://127.0.0.1:7000」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="676"/>
        <source>This printer URL cannot be used.</source>
        <translation>此打印机 URL 无法使用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="677"/>
        <source>The printer URL is empty.</source>
        <translation>打印机 URL 为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="678"/>
        <source>Not a printer URL: it starts with scheme://, e.g. tcp://192.168.1.50:9100 or file://.</source>
        <translation>不是打印机 URL：应以「scheme://」开头，例如「tcp://192.168.1.50:9100」或「file://」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="680"/>
        <source>Unknown printer URL scheme {scheme}: use tcp://, escpos+tcp://, escpos+usb://, escpos+serial://, cups://, winspool:// (a Windows printer), file:// or a print component&apos;s cainiao://, pdd://, douyin://, kuaishou://.</source>
        <translation>未知的打印机网址类型 {scheme}：请使用「tcp://」、「escpos+tcp://」、「escpos+usb://」、「escpos+serial://」、「cups://」、「winspool://」（系统中的打印机）、「file://」，或打印组件的「cainiao://」、「pdd://」、「douyin://」、「kuaishou://」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="683"/>
        <source>A printer URL has no #fragment.</source>
        <translation>打印机 URL 不能带 #片段。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="684"/>
        <source>escpos+usb:// needs VID:PID in hex, e.g. escpos+usb://04b8:0e15.</source>
        <translation>「escpos+usb://」需要十六进制的「VID:PID」，例如「escpos+usb://04b8:0e15」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="686"/>
        <source>escpos+serial:// needs a device path, e.g. escpos+serial:///dev/ttyS0.</source>
        <translation>「escpos+serial://」需要设备路径，例如「escpos+serial:///dev/ttyS0」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="688"/>
        <source>cups:// needs a queue name without spaces, slashes, quotes, ? or #, e.g. cups://Zebra_ZD420.</source>
        <translation>「cups://」需要不含空格、斜杠、引号、? 或 # 的队列名，例如「cups://Zebra_ZD420」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="690"/>
        <source>winspool:// is followed by the printer&apos;s name as Windows shows it (Get-Printer in PowerShell lists them), e.g. winspool://TSC TTP-244 Pro; write # in the name as %23, ? as %3F, % as %25 and ; as %3B.</source>
        <translation>「winspool://」后面写打印机在系统中显示的名称（在「PowerShell」中用「Get-Printer」可列出），例如「winspool://TSC TTP-244 Pro」；名称中的 # 写作「%23」，? 写作「%3F」，% 写作「%25」，; 写作「%3B」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="692"/>
        <source>file:// takes no host: write file:///ABS/FOLDER (three slashes), or file:// for the default folder.</source>
        <translation>「file://」不带主机：请写「file:///绝对/文件夹」（三个斜杠），或用「file://」表示默认文件夹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="694"/>
        <source>The folder must be an absolute path.</source>
        <translation>文件夹必须是绝对路径。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="698"/>
        <source>status is zpl, tspl, escpos or none, not “{value}”.</source>
        <translation>「status」应为「zpl」、「tspl」、「escpos」或「none」，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="700"/>
        <source>raw is 1 or 0, not “{value}”.</source>
        <translation>「raw」应为 1 或 0，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="701"/>
        <source>profile is a python-escpos profile name such as TM-T20II, not “{value}”.</source>
        <translation>「profile」应为「python-escpos」的型号名（如「TM-T20II」），而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="703"/>
        <source>{option} is an endpoint from 0x00 to 0xff, not “{value}”.</source>
        <translation>{option} 应为「0x00」到「0xff」的端点，而不是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="713"/>
        <source>A raw TCP printer URL takes no path.</source>
        <translation>原始 TCP 打印机 URL 不带路径。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="714"/>
        <source>A raw TCP printer URL takes no user or password.</source>
        <translation>原始 TCP 打印机 URL 不带用户名或密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="716"/>
        <source>The port is from 1 to 65535.</source>
        <translation>端口应为 1 到 65535。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="717"/>
        <source>The printer&apos;s host is missing, e.g. tcp://192.168.1.50:9100.</source>
        <translation>缺少打印机主机，例如「tcp://192.168.1.50:9100」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="719"/>
        <source>Name the component&apos;s printer, e.g. {scheme}://127.0.0.1?printer=ZTO-1.</source>
        <translation>请指定组件中的打印机，例如「{scheme}://127.0.0.1?printer=ZTO-1」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="721"/>
        <source>A print component URL takes no path: {scheme}://HOST:PORT?printer=NAME.</source>
        <translation>打印组件网址不带路径：「{scheme}://主机:端口?printer=名称」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="723"/>
        <source>The wss port of this print component is not known: give HOST:PORT.</source>
        <translation>此打印组件的「wss」端口未知：请写明「主机:端口」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="725"/>
        <source>wss to a component on another PC needs ca=PATH (the certificate authority file); only one on this PC (127.0.0.1) is trusted without it.</source>
        <translation>连接其他电脑上的组件使用「wss」时需要「ca=路径」（证书颁发机构文件）；只有本机（127.0.0.1）上的组件无需它即可信任。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="727"/>
        <source>ca= goes with tls=1.</source>
        <translation>「ca=」需与「tls=1」一起使用。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="728"/>
        <source>tls is 1 or 0, not “{value}”.</source>
        <translation>「tls」为 1 或 0，不能是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="729"/>
        <source>ca is the absolute path of a certificate file, not “{value}”.</source>
        <translation>「ca」是证书文件的绝对路径，不能是“{value}”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="732"/>
        <source>This station&apos;s Packline ({version}, schema {build}) is too old for the central database: a newer Packline upgraded it to schema {database}. Ask IT to install that version here.</source>
        <translation>本工作站的程序版本过旧（版本 {version}，数据库结构 {build}）：中央数据库已被更新的版本升级到结构 {database}。请联系 IT 在本机安装那个版本。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="734"/>
        <source>The central database (schema {database}) is older than this station&apos;s Packline ({version}) needs (schema {build}). Ask IT to run `packline db upgrade` with this version first.</source>
        <translation>中央数据库的结构（{database}）比本工作站程序（版本 {version}）需要的结构 {build} 旧。请联系 IT 先用本版本运行「packline db upgrade」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="736"/>
        <source>The central database holds no Packline schema yet; this station&apos;s Packline ({version}) needs schema {build}. Ask IT to run `packline db upgrade` first.</source>
        <translation>中央数据库还没有建立数据库结构；本工作站程序（版本 {version}）需要结构 {build}。请联系 IT 先运行「packline db upgrade」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="738"/>
        <source>The central database records several schema versions ({database}); this station&apos;s Packline ({version}) needs schema {build}. Ask IT to check it with `packline doctor`.</source>
        <translation>中央数据库记录了多个结构版本（{database}）；本工作站程序（版本 {version}）需要结构 {build}。请联系 IT 用「packline doctor」检查。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="740"/>
        <source>This station&apos;s login may not read the central database&apos;s schema version: its grants are from an older Packline. Ask IT to run `packline db roles --apply` with this version ({version}).</source>
        <translation>本工作站的登录账号无权读取中央数据库的结构版本：它的权限是旧版本授予的。请联系 IT 用本版本（{version}）运行「packline db roles --apply」。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="742"/>
        <source>This station&apos;s Packline ({version}, station schema {build}) is too old for its own store {path}: a newer Packline upgraded it to schema {database}. Nothing was changed; ask IT to install that version here.</source>
        <translation>本工作站的程序版本过旧（版本 {version}，本机存储结构 {build}）：本机存储 {path} 已被更新的版本升级到结构 {database}。未做任何改动，请联系 IT 在本机安装那个版本。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="745"/>
        <source>A supplier code is 1 to 64 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos; (not {value}).</source>
        <translation>供应商编码须为 1 到 64 个字母、数字、&apos;_&apos;、&apos;.&apos; 或 &apos;-&apos;（不是 {value}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="747"/>
        <source>The new supplier {supplier} needs a name.</source>
        <translation>新供应商 {supplier} 需要名称。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="749"/>
        <source>There is no presale campaign {campaign}.</source>
        <translation>没有预售活动 {campaign}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="751"/>
        <source>There is no supplier {supplier}.</source>
        <translation>没有供应商 {supplier}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="753"/>
        <source>The backup supplier must be another supplier than {supplier}.</source>
        <translation>备用供应商不能与主供应商 {supplier} 相同。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="755"/>
        <source>{field} must be a whole number, 0 or more (not {value}).</source>
        <translation>{field} 须为 0 或以上的整数（不是 {value}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="757"/>
        <source>In transit ({in_transit}) and arrived ({arrived}) exceed the quantity ({qty}).</source>
        <translation>在途（{in_transit}）加已到货（{arrived}）超过了数量（{qty}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="759"/>
        <source>Cannot read {path} (a UTF-8 CSV or an xlsx workbook).</source>
        <translation>无法读取 {path}（须为「UTF-8」编码的「.csv」文件或「.xlsx」工作簿）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="761"/>
        <source>{path} holds no deliveries.</source>
        <translation>{path} 中没有到货计划。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="763"/>
        <source>{count} rows of {path} are wrong: nothing was imported.</source>
        <translation>{path} 中有 {count} 行有误：未导入任何数据。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="765"/>
        <source>The file has no rows.</source>
        <translation>文件没有任何行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="767"/>
        <source>Row {row}: columns missing: {missing}.</source>
        <translation>第 {row} 行：缺少列：{missing}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="769"/>
        <source>Row {row}: {field} is empty.</source>
        <translation>第 {row} 行：{field} 为空。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="771"/>
        <source>Row {row}: {field} {value} is no date (YYYY-MM-DD).</source>
        <translation>第 {row} 行：{field} {value} 不是日期（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="773"/>
        <source>Row {row}: {field} {value} is not a whole number, 0 or more.</source>
        <translation>第 {row} 行：{field} {value} 不是 0 或以上的整数。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="775"/>
        <source>Row {row}: in transit ({in_transit}) and arrived ({arrived}) exceed the quantity ({qty}).</source>
        <translation>第 {row} 行：在途（{in_transit}）加已到货（{arrived}）超过了数量（{qty}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="777"/>
        <source>Row {row}: the same delivery as row {other}.</source>
        <translation>第 {row} 行：与第 {other} 行是同一批到货。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="779"/>
        <source>Row {row}: there is no presale campaign {campaign}.</source>
        <translation>第 {row} 行：没有预售活动 {campaign}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="781"/>
        <source>Row {row}: there is no supplier {supplier}.</source>
        <translation>第 {row} 行：没有供应商 {supplier}。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="783"/>
        <source>Export to a .csv or .xlsx file (not {path}).</source>
        <translation>请导出为「.csv」或「.xlsx」文件（不是 {path}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="785"/>
        <source>Order {order_no} is in no presale campaign.</source>
        <translation>订单 {order_no} 不属于任何预售活动。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="787"/>
        <source>Order {order_no} is cancelled, shipped or being refunded: its buyer is not flagged for compensation.</source>
        <translation>订单 {order_no} 已取消、已发货或正在退款：不标记其买家补偿。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="789"/>
        <source>Order {order_no}: its {payment} ({amount} yuan) was paid after the order was cancelled. Have the shop refund the buyer.</source>
        <translation>订单 {order_no}：{payment}（{amount} 元）在订单取消后才付款。请让店铺给买家退款。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="791"/>
        <source>Order {order_no}: its balance may still be paid until {ends_at}. Keep the parcel on the staging shelf; unpack it only after a refund or cancellation, or at the campaign&apos;s end.</source>
        <translation>订单 {order_no}：尾款在 {ends_at} 之前仍可支付。包裹请留在预打包暂存架上；只有退款或取消后，或活动结束时才能拆包。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="793"/>
        <source>{campaign}: the goods come {hours} h later than the supplier confirmed (due {due}, now expected {expected}).</source>
        <translation>{campaign}：货物比供应商确认的晚 {hours} 小时（原定 {due}，现预计 {expected}）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="796"/>
        <source>There is no warehouse {warehouse} or no carrier {carrier}.</source>
        <translation>没有仓库 {warehouse} 或承运商 {carrier}。</translation>
    </message>
</context>
<context>
    <name>nav</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="121"/>
        <source>Dashboard</source>
        <translation>看板</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="123"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="127"/>
        <source>Exceptions</source>
        <translation>异常处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="129"/>
        <source>Presale</source>
        <translation>预售活动</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="131"/>
        <source>Review rules</source>
        <translation>审单规则</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="134"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="138"/>
        <source>Waves</source>
        <translation>波次</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="140"/>
        <source>Picking</source>
        <translation>拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="142"/>
        <source>Packing</source>
        <translation>打包</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="149"/>
        <source>Handover</source>
        <translation>交接</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="153"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="155"/>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>orderDetail</name>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="422"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="423"/>
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="424"/>
        <source>Intercepted</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="425"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="426"/>
        <source>discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="427"/>
        <source>Presale</source>
        <translation>预售</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="428"/>
        <source>Buyer remark</source>
        <translation>买家备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="429"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="430"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="431"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="432"/>
        <source>unknown SKU</source>
        <translation>未知商品</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="433"/>
        <source>Packages</source>
        <translation>包裹</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="434"/>
        <source>Split from</source>
        <translation>拆分自</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="435"/>
        <source>Split into</source>
        <translation>拆分为</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="436"/>
        <source>Merged from</source>
        <translation>合并自</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="437"/>
        <source>History</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="439"/>
        <source>Shipment confirmations</source>
        <translation>发货回传</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_screen.py" line="440"/>
        <source>attempts</source>
        <translation>尝试次数</translation>
    </message>
</context>
<context>
    <name>orders</name>
    <message>
        <location filename="../../app/ui/orders_model.py" line="54"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="55"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="56"/>
        <source>Channel order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="57"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="58"/>
        <source>Exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="59"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="60"/>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="61"/>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="62"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="63"/>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="64"/>
        <source>Warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="65"/>
        <source>Carrier</source>
        <translation>快递</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="66"/>
        <source>Paid</source>
        <translation>付款时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="67"/>
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="68"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="82"/>
        <source>%1d %2h</source>
        <translation>%1天%2时</translation>
    </message>
    <message>
        <location filename="../../app/ui/orders_model.py" line="84"/>
        <source>%1h %2m</source>
        <translation>%1时%2分</translation>
    </message>
</context>
<context>
    <name>rules</name>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="51"/>
        <source>tolerance_fen: difference allowed between the order amount and its lines minus discounts, in fen (1 yuan = 100 fen)</source>
        <translation>tolerance_fen：订单金额与商品金额减优惠之间允许的差额，单位为分（1 元 = 100 分）</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="54"/>
        <source>threshold_fen: orders above this amount, in fen, wait for a person (500000 = 5,000 yuan)</source>
        <translation>threshold_fen：订单金额超过此值（单位：分）时需人工审核（500000 = 5,000 元）</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="57"/>
        <source>ignore: buyer remarks that need no person, as a list of phrases</source>
        <translation>ignore：无需人工处理的买家备注，短语列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/rules_screen.py" line="59"/>
        <source>min_level: the lowest VIP level that gets priority (0-10)</source>
        <translation>min_level：享受优先处理的最低 VIP 等级（0-10）</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../app/ui/messages.py" line="877"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="878"/>
        <source>%1, line %2</source>
        <translation>%1，第 %2 行</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="879"/>
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="880"/>
        <source>environment variable %1</source>
        <translation>环境变量 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="881"/>
        <source>command line %1</source>
        <translation>命令行 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="882"/>
        <source>%1: OK: station %2 (%3), %4 device(s), %5 printer(s), language %6</source>
        <translation>%1：正常：工作站 %2（%3），%4 台设备，%5 台打印机，语言 %6</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="884"/>
        <source>%1: %2 problem(s)</source>
        <translation>%1：%2 个问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="885"/>
        <source>%1: settings version %2: the station upgrades it to version %3 when it starts (keeping a copy of the old file)</source>
        <translation>%1：设置版本 %2：工作站启动时会将其升级到版本 %3（旧文件会保留一份副本）</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="887"/>
        <source>Packline cannot start: the station settings file has a problem</source>
        <translation>Packline 无法启动：工作站设置文件有问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="889"/>
        <source>Fix the file (or ask IT), then start Packline again. `packline settings check FILE` lists every problem.</source>
        <translation>请修改文件（或联系 IT），然后重新启动 Packline。`packline settings check 文件` 会列出所有问题。</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <location filename="../../app/ui/widgets.py" line="86"/>
        <source>The central database is unreachable; try again when the network is back.</source>
        <translation>无法连接中心数据库；网络恢复后请重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="103"/>
        <source>Something went wrong; the log file has the details for IT.</source>
        <translation>出现错误；详细信息已写入日志，请联系 IT。</translation>
    </message>
</context>
</TS>
