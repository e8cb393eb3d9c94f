<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CampaignsScreen</name>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="55"/>
        <source>Presale orders draw on each campaign&apos;s own pool, never on spot stock. A campaign is warned when its pool is 90% used or an order did not fit.</source>
        <translation>预售订单只占用各活动自己的虚拟库存池，不占用现货库存。库存池用量达到 90% 或有订单超出产能时，活动显示预警。</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="58"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="66"/>
        <source>Campaign / kind</source>
        <translation>活动 / 类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="66"/>
        <source>Name / SKU</source>
        <translation>名称 / 商品编码</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="67"/>
        <source>Terms / buyer pays for 1 unit</source>
        <translation>价格条款 / 买 1 件实付</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="67"/>
        <source>Pool used</source>
        <translation>库存池用量</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="67"/>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="68"/>
        <source>Ship by</source>
        <translation>承诺发货</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="68"/>
        <source>Awaiting
balance</source>
        <translation>待尾款</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="68"/>
        <source>Ready
for wave</source>
        <translation>待组波</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="69"/>
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
        <location filename="../../app/ui/campaigns_screen.py" line="140"/>
        <source>%1 campaigns · %2 warned</source>
        <translation>共 %1 个活动 · %2 个预警</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="164"/>
        <source>%1% of the pool reserved</source>
        <translation>库存池已占用 %1%</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="176"/>
        <source>%1, paid in full</source>
        <translation>%1，全款支付</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="177"/>
        <source>%1 · deposit %2 counts %3</source>
        <translation>%1 · 定金 %2 抵 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="180"/>
        <source>balance −%1</source>
        <translation>尾款立减 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="182"/>
        <source>%1 units or more: −%2</source>
        <translation>满 %1 件：−%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="190"/>
        <source>Terms invalid: %1</source>
        <translation>活动条款无效：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/campaigns_screen.py" line="193"/>
        <source>deposit %1 + balance %2 = %3</source>
        <translation>定金 %1 + 尾款 %2 = %3</translation>
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
    <name>LoginScreen</name>
    <message>
        <location filename="../../app/ui/login.py" line="37"/>
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="44"/>
        <source>Scan your badge, or enter your user code and password</source>
        <translation>请扫描工牌，或输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="49"/>
        <source>User code or badge</source>
        <translation>工号或工牌</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="53"/>
        <location filename="../../app/ui/login.py" line="63"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="54"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="62"/>
        <source>User</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="73"/>
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="108"/>
        <source>Enter user code and password</source>
        <translation>请输入工号和密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="117"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="134"/>
        <source>Login refused: unknown user, wrong password or unknown badge</source>
        <translation>登录失败：工号不存在、密码错误或工牌无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/login.py" line="137"/>
        <source>Central database unreachable: %1</source>
        <translation>无法连接中心数据库：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="64"/>
        <source>Packline</source>
        <translation>Packline 仓储工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="79"/>
        <source>Station: %1</source>
        <translation>工位：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="80"/>
        <source>Central: %1</source>
        <translation>中心库：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="93"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="126"/>
        <source>Your role has no screens on this station.</source>
        <translation>您的角色在此工位没有可用的界面。</translation>
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
    <name>app</name>
    <message>
        <location filename="../../app/ui/app.py" line="49"/>
        <source>embedded (%1)</source>
        <translation>内置数据库（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="73"/>
        <source>Preparing the embedded database…</source>
        <translation>正在准备内置数据库…</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="78"/>
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
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="20"/>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="21"/>
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
</context>
<context>
    <name>nav</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="45"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="49"/>
        <source>Exceptions</source>
        <translation>异常处理</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="51"/>
        <source>Presale</source>
        <translation>预售活动</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="53"/>
        <source>Review rules</source>
        <translation>审单规则</translation>
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
        <location filename="../../app/ui/widgets.py" line="50"/>
        <source>Central database unreachable: %1</source>
        <translation>无法连接中心数据库：%1</translation>
    </message>
</context>
</TS>
