# cancelwatch — 中文

## 报告
report-title = 取消率报告
report-window = 时间范围：{ $from } 至 { $to }（{ $timeZone }）
report-no-orders = 此时间范围内没有已付款订单。
report-orders = 已付款订单：{ $orders }
report-cancelled = 已取消：{ $cancelled } · 取消率 { $rate }
report-seller-fault = 卖家责任取消：{ $cancelled } / { $orders } · SFCR { $rate }（目标 ≤ { $threshold }）
report-seller-fault-above = ⚠️ 已超过 { $threshold } 警戒线：TikTok 可能限制店铺。请按下方建议改进。
report-seller-fault-within = ✅ 在 { $threshold } 警戒线以内。
report-by-initiator = 取消方：{ $parts }
report-initiator-part = { $who } { $count }
list-separator = {" · "}
report-partially-cancelled = 部分取消（仅部分商品，不计入已取消）：{ $count }
report-unpaid-expired = { $count } 个未付款订单已过期（不计入）
report-lost-amount = 取消损失金额：{ NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } { $currency }
report-lost-amount-no-currency = 取消损失金额：{ NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) }（文件未注明币种）
report-previous = 上一周期 { $from } 至 { $to }：取消率 { $rate }，SFCR { $sellerFaultRate }
report-reasons-title = 主要取消原因
report-reason = • { $category }：{ $count }（{ $share }）
report-reason-seller-fault = • { $category }：{ $count }（{ $share }），卖家责任 { $sellerFault }
report-reason-examples = {"  "}原文：{ $examples }
report-strategies-title = 改进建议
report-strategy-category = { $category }：
report-strategy-item = {"  "}– { $text }
report-skipped = 跳过的行：{ $count }
report-skipped-item = {"  "}{ $text }
report-footnote = 卖家责任取消率按 TikTok 公布的定义估算（不含 FBT 与样品订单）。
rate-none = 无

## 取消方
initiator-buyer = 买家
initiator-seller = 卖家
initiator-system = 系统
initiator-platform = 平台
initiator-unknown = 未知

## 原因类别
category-out_of_stock = 缺货
category-pricing_error = 价格错误
category-price_or_promotion = 价格或优惠
category-late_fulfilment = 发货或揽收超时
category-delivery_failure = 配送失败
category-description_mismatch = 规格选错或描述不符
category-changed_mind = 买家不想要了
category-order_details = 地址或支付信息
category-risk_control = 风控
category-unpaid = 未付款
category-other = 其他

## 改进建议（每类 2–4 条）
strategy-out_of_stock-1 = 至少每天与仓库或 ERP 同步一次库存，并保留安全库存：上架数量不要超过能发出的数量。
strategy-out_of_stock-2 = 开启低库存提醒，在库存归零前把该规格设为售罄，而不是接单后再取消。
strategy-out_of_stock-3 = 按 SKU（每个颜色、尺码）核对库存，而不只看商品总库存。
strategy-out_of_stock-4 = 货源不稳定的商品使用预售，并如实填写发货时间。
strategy-pricing_error-1 = 发布前仔细核对价格、币种和折扣；批量改价请另一位同事复核。
strategy-pricing_error-2 = 为促销设置最低价，防止平台券与店铺券叠加后价格低于成本。
strategy-pricing_error-3 = 一旦标错价格，立即修改商品；已售出的少量订单照常发货，往往比 SFCR 受损代价更小。
strategy-price_or_promotion-1 = 按市场定价：定期查看当地竞品价格，并把运费算进去。
strategy-price_or_promotion-2 = 在商品页展示优惠券和活动，避免买家为了用券取消后重新下单。
strategy-price_or_promotion-3 = 运费偏高导致取消时，设置包邮门槛或运费补贴。
strategy-late_fulfilment-1 = 在承诺的备货时间内发货；为每个仓库设置切实可行的备货时间。
strategy-late_fulfilment-2 = 每天安排揽收或自送，包裹交接后立即上传有效的物流单号。
strategy-late_fulfilment-3 = 每天早上查看待发货列表，优先处理临近截止时间的订单。
strategy-late_fulfilment-4 = 选择可靠的物流合作方，并为大促高峰准备备用承运商。
strategy-delivery_failure-1 = 在每个市场选择准时率高、破损率低的物流合作方，并每月复盘其表现。
strategy-delivery_failure-2 = 按全程运输来包装：结实的纸箱、缓冲材料，跨境包裹加防水包装。
strategy-delivery_failure-3 = 发货前核对地址和电话，地址不完整时及时联系买家。
strategy-description_mismatch-1 = 标题和描述准确：尺码表用当地单位，写明材质和包装清单。
strategy-description_mismatch-2 = 每个规格（颜色、尺码）都使用真实商品图片，而不是供应商效果图。
strategy-description_mismatch-3 = 规格选项清晰易选：每个选项只对应一个属性，名称让买家一看就懂。
strategy-changed_mind-1 = 快速回复买家消息（12 小时内）：及时答复常常能挽回一个即将取消的订单。
strategy-changed_mind-2 = 下单后发送简短消息，确认尺码、颜色和预计送达时间。
strategy-changed_mind-3 = 尽快发货：订单越早发出，买家改变主意的时间就越少。
strategy-order_details-1 = 提醒买家付款前核对地址和支付方式（商品页说明、客服自动回复）。
strategy-order_details-2 = 提供各市场常用的支付方式。
strategy-order_details-3 = 买家要求改地址时，在平台允许的情况下通过聊天协助修改，而不是直接取消。
strategy-risk_control-1 = 留意异常下单（同一账号或地址大量下单），避免容易被薅羊毛的活动。
strategy-risk_control-2 = 遵守 TikTok Shop 商品与营销规则，被标记的商品尽快整改。
strategy-risk_control-3 = 正常订单被拦截时，把订单号提交给商家客服。
strategy-unpaid-1 = 简化结账流程，提供买家习惯的本地支付方式。
strategy-unpaid-2 = 写清限时优惠的截止时间，促使买家在订单过期前付款。
strategy-other-1 = 阅读“其他”下列出的原文原因，找出可以改进的共性问题。
strategy-other-2 = 礼貌地询问取消订单的买家原因：能把“其他”变成可以改进的具体问题。

## 跳过的行
skipped-missing-order-id = { $file } 第 { $line } 行：缺少 Order ID（订单号）
skipped-bad-created-time = { $file } 第 { $line } 行：Created Time（创建时间）“{ $value }”不是日期
skipped-impossible-date = { $file } 第 { $line } 行：按本文件的日/月顺序，Created Time（创建时间）“{ $value }”不是有效日期
skipped-amount-out-of-range = { $file } 第 { $line } 行：Order Amount（订单金额）“{ $value }”过大，不可能是真实订单的金额
skipped-bad-cell-reference = { $file } 第 { $line } 行：引用“{ $value }”不是工作表中可能存在的单元格（最后一个单元格是 XFD1048576）

## 导入错误
import-error-empty = { $file } 是空文件。
import-error-no-data = { $file } 只有表头，没有订单。
import-error-not-a-table = { $file } 不是 CSV 或 XLSX 订单导出文件。请在卖家中心导出“全部订单”（CSV 或 XLSX）。
import-error-legacy-xls = { $file } 是旧版 Excel .xls 文件。请另存为 .xlsx 或 .csv 后重新发送。
import-error-xlsx-damaged = { $file } 已损坏或不完整（上传可能被中断）。请重新导出。
import-error-xlsx-too-large = { $file } 解压后超过 { $limitMb } MB，未读取。请导出更短的时间段。
import-error-other-platform = { $file } 看起来是 { $platform } 的导出文件。支持的平台：TikTok Shop。
import-error-no-header = { $file } 没有 TikTok Shop 表头（Order ID、Order Status、Created Time…）。请在卖家中心导出“全部订单”。
import-error-missing-columns = { $file } 缺少列：{ $columns ->
    [id] Order ID
   *[status] Order Status（或 Cancelation/Return Type）
  }。
import-error-too-many-bad-rows = { $file }：{ $rows } 行中有 { $bad } 行无法读取，数据不可信，未导入任何内容。前几个问题：
import-error-mixed-date-styles = { $file } 中的日期混用了“日在前”和“月在前”两种格式（第 { $line1 } 行和第 { $line2 } 行）。请重新导出，不要编辑文件。
import-error-encoding = { $file } 不是 UTF-8、UTF-16、GB18030、Shift_JIS 或 Windows-1252 编码的文本。请在卖家中心重新导出。
import-error-unterminated-quote = { $file }：第 { $line } 行开始的引号没有闭合，文件其余部分无法读取。请重新导出，不要编辑文件。
import-error-xlsx-bad-reference = { $file } 已损坏：表头（第 { $line } 行）有一个位于“{ $ref }”的单元格，而工作表中不可能有这个位置（最后一个单元格是 XFD1048576），因此无法分辨各列。请重新导出。

## 命令行
cli-usage =
    用法：cancelwatch report 文件… [--window 7d|30d|today|yesterday|YYYY-MM-DD..YYYY-MM-DD]
    {"                             "}[--from YYYY-MM-DD --to YYYY-MM-DD] [--tz 地区/城市] [--lang zh|en] [--json]
    {"                             "}[--by product [--min-orders 20]] [--reasons 映射.csv]
cli-error-no-files = 没有指定订单文件。
cli-error-unknown-command = 未知命令“{ $command }”。
cli-error-bad-option = { $message }
cli-error-bad-window = “{ $value }”不是有效的时间范围。可用：today、yesterday、7d、30d 或 YYYY-MM-DD..YYYY-MM-DD。
cli-error-bad-day = --{ $option }“{ $value }”不是日期（YYYY-MM-DD）。
cli-error-from-to = --from 和 --to 需同时使用，--from 不能晚于 --to，且不能与 --window 同用。
cli-error-bad-tz = “{ $value }”不是时区。请使用“地区/城市”格式，例如 Asia/Shanghai 或 America/Los_Angeles。
cli-error-bad-lang = “{ $value }”不是支持的语言。可用：zh 或 en。
cli-error-file-missing = { $file }：文件不存在。
cli-progress = 正在读取 { $file }：{ $percent }%
cli-usage-notes =
    --reasons 映射.csv：把报告不认识的取消原因对应到类别，每行一条“原因文字,类别”（与机器人的 /reason 相同）。
    {"  "}类别：{ $categories }
    cancelwatch --version 显示版本；cancelwatch --help 显示本说明。
cli-error-reasons-unreadable = --reasons { $file }：无法读取该文件。
cli-error-reasons-bad-row = { $file }：第 { $line } 行“{ $value }”不是“原因文字,类别”两列。原因文字含逗号时请加英文双引号。
cli-error-reasons-bad-category = { $file }：第 { $line } 行的“{ $value }”不是取消原因类别。可用：{ $categories }。
cli-error-reasons-no-text = { $file }：第 { $line } 行的原因文字“{ $value }”没有文字，请按导出文件中的原样填写。
cli-error-reasons-conflict = { $file }：第 { $line } 行的“{ $value }”已在第 { $first } 行对应到 { $category }。
cli-error-reasons-unclosed-quote = { $file }：第 { $line } 行的引号没有闭合。

## 机器人：命令菜单
command-start = 开始并查看本群设置
command-help = 使用说明
command-rate = 取消率：/rate [7d|30d|today|yesterday|起..止] [店铺]
command-import = 上传订单导出文件（CSV 或 XLSX）
command-shops = 店铺及数据
command-lang = 语言：/lang zh 或 /lang en
command-tz = 店铺时区：/tz 地区/城市
command-threshold = 卖家责任取消率警戒线：/threshold 2.5
command-reason = 教机器人认识取消原因：/reason "文字" 类别
command-forget = 删除本群数据

## 机器人：回复
bot-welcome =
    👋 cancelwatch 读取 TikTok Shop 订单导出文件，告诉你取消率、卖家责任取消率（SFCR）以及改进方法。

    语言：中文 · 时区：{ $timeZone } · 警戒线：{ $threshold }
    从卖家中心导出“全部订单”（CSV 或 XLSX）发给我，然后输入 /rate。/help 查看全部命令。
bot-help =
    <b>cancelwatch</b> — TikTok Shop 卖家的取消率助手

    /rate [时间范围] [店铺] — 查看报告；时间范围：7d（默认）、30d、today、yesterday 或 2026-11-01..2026-11-07
    /products [时间范围] [店铺] — 取消来自哪些商品和 SKU，附图
    /import [店铺] — 上传订单导出文件（卖家中心 → 订单 → 导出 → 全部订单，CSV 或 XLSX）
    /shops — 店铺及已有数据
    /daily 09:00 [地区/城市] — 每天该时间发送摘要；/daily off 关闭
    /push — 把每日摘要也发到企业微信、飞书或钉钉群（管理员）
    /link、/unlink 店铺 — 关联 TikTok 店铺，数据自动保持最新（管理员）
    /lang zh|en — 本群语言
    /tz 地区/城市 — 店铺时区（例如 America/Los_Angeles）
    /threshold 2.5 — 卖家责任取消率警戒线（%）
    /reason "文字" 类别 — 教机器人认识它列为未知的取消原因（管理员）；/reason list 查看
    /forget — 删除本群全部数据

    <b>在群里上传</b>：机器人只能看到发给它的文件。发送文件时把 <code>/import</code> 写在说明里，或回复机器人的 /import 消息发送。（如果机器人是群管理员，群里发送的任何 .csv 或 .xlsx 都会被读取。）
    所有人都可以使用 /rate、/help 和上传；只有群管理员可以修改设置或使用 /forget。
bot-import-prompt = 请回复这条消息发送订单导出文件（CSV 或 XLSX）。店铺：{ $shop }
bot-import-reading = 📥 正在读取 { $file }…
bot-import-done = ✅ { $file }：{ $orders } 个订单（新增 { $newOrders } 个），{ $from } 至 { $to }。
bot-import-skipped = 跳过了 { $count } 行：
bot-import-failed = ❌ 未导入任何内容。
bot-file-too-big = ❌ { $file } 大小为 { $sizeMb } MB；机器人最多接收 { $limitMb } MB 的文件。请导出更短的时间段，或拆分文件。
bot-file-wrong-type = ❌ { $file } 不是 CSV 或 XLSX 文件。请在卖家中心导出“全部订单”（CSV 或 XLSX）。
bot-file-download-failed = ❌ 无法从 Telegram 下载 { $file }。请重新发送。
bot-no-data =
    本群还没有订单数据。请从卖家中心导出“全部订单”（CSV 或 XLSX）发给我；在群里发送时请在说明里写 /import。
bot-no-data-window = { $from } 至 { $to } 没有订单。已有数据范围：{ $dataFrom } 至 { $dataTo }。
bot-bad-rate-argument = “{ $value }”既不是时间范围，也不是本群的店铺。时间范围：7d、30d、today、yesterday 或 2026-11-01..2026-11-07。店铺：{ $shops }
bot-unknown-shop = 本群没有名为“{ $shop }”的店铺。店铺：{ $shops }
bot-no-shops = 暂无
bot-lang-usage = 用法：/lang zh 或 /lang en
bot-lang-set = 已切换为中文。
bot-tz-usage = 用法：/tz 地区/城市，例如 /tz America/Los_Angeles 或 /tz Asia/Bangkok。当前：{ $timeZone }
bot-tz-bad = “{ $value }”不是时区。请使用“地区/城市”格式，例如 Asia/Shanghai 或 America/Los_Angeles。
bot-tz-set = 时区已设为 { $timeZone }。当地今天是 { $today }。
bot-threshold-usage = 用法：/threshold 2.5（0.1 到 50 之间的百分比）。当前：{ $threshold }
bot-threshold-bad = “{ $value }”不是 0.1 到 50 之间的百分比。
bot-threshold-set = 卖家责任取消率警戒线已设为 { $threshold }。
bot-admins-only = 抱歉，只有群管理员可以修改此设置。
bot-shops-title = <b>本群店铺</b>
bot-shop-line = • { $shop }：{ $orders } 个订单，{ $from } 至 { $to }，最近上传 { $lastImport }
bot-shop-line-empty = • { $shop }：没有订单
bot-forget-confirm = 删除本群的全部订单、店铺和设置？此操作无法撤销。
bot-forget-yes = 全部删除
bot-forget-no = 保留
bot-forget-done = 🗑 本群的全部数据已删除。
bot-forget-kept = 没有删除任何内容。
bot-unknown-command = 我不认识 { $command }。/help 查看我能做什么。
bot-reason-usage = 用法：/reason "原因文字" 类别，例如 /reason "Payment overdue" unpaid。本群过去和以后带这段文字的订单都会计入该类别。/reason list 查看本群教过的原因；/reason remove "原因文字" 删除一条。类别：{ $categories }
bot-reason-taught = ✅ 在本群中“{ $text }”现在计为 { $category }：已更新 { $orders } 个已保存的订单，之后的上传和同步也按此计算。
bot-reason-removed = 🗑 已删除“{ $text }”：{ $orders } 个已保存的订单重新按机器人自己的规则计算。
bot-reason-not-taught = 本群没有教过“{ $text }”。/reason list 查看本群教过的原因。
bot-reason-none = 本群还没有教过机器人任何原因。
bot-reason-list-title = 本群教给机器人的原因：
bot-reason-line = • “{ $text }” → { $category }（{ $id }）
bot-busy = 我们这边出了点问题，请稍后再试。
bot-slow-down = 本群发送命令的速度超过了机器人的回复速度，部分命令已被跳过。请稍等一分钟，再逐条发送。
bot-chat-not-allowed = 抱歉，此机器人只为运营者设置好的群服务。请联系机器人的运营者，把本聊天加入允许列表。
bot-trend-caption = 每日取消率与卖家责任取消率，{ $from } 至 { $to }
chart-title = 取消趋势
chart-cancel-rate = 取消率
chart-seller-fault-rate = 卖家责任取消率
chart-threshold = 警戒线 { $threshold }

## 启动设置（给运行机器人的人看）
config-bot-token-missing = 未设置 BOT_TOKEN：请向 @BotFather 申请令牌，并写入环境变量或 .env（见 .env.example）；或设置其他平台（FEISHU_APP_ID 和 FEISHU_APP_SECRET、DINGTALK_CLIENT_ID 和 DINGTALK_CLIENT_SECRET，或 WECOM_BOT_ID 和 WECOM_BOT_SECRET）。没有聊天平台也可以试试 `npm run demo` 或 `npx cancelwatch report examples/OrderSKUList-sample.csv`。
config-bot-token-format = BOT_TOKEN 不像机器人令牌（数字、冒号，然后是 30 个以上字母）。
config-url = { $name } 必须是 http(s) 网址，例如 https://api.telegram.org。
config-database-url = DATABASE_URL 必须以 sqlite:（文件）或 postgres:// 开头。
config-log-level = LOG_LEVEL 必须是 fatal、error、warn、info、debug、trace、silent 之一。
config-megabytes = { $name } 必须是 1 到 2000 之间的兆字节数。
config-webhook-secret-format = WEBHOOK_SECRET 必须是 16 到 256 个字母、数字、_ 或 -。
config-webhook-secret-missing = 设置 WEBHOOK_URL 时必须设置 WEBHOOK_SECRET，确保只有 Telegram 能推送更新。
config-port = PORT 必须是 1 到 65535 之间的端口号。
config-allowed-chats = ALLOWED_CHATS 必须是以逗号分隔的 Telegram 聊天 ID（例如 -1001234567890）或 @用户名，其他平台的聊天写作 平台:ID（例如 feishu:oc_123）。
config-order-cap = MAX_ORDERS_PER_CHAT 必须是 1000 到 1000000000 之间的整数（订单数）。
config-metrics-token = METRICS_TOKEN 必须是 16 到 256 个字母、数字或 . _ ~ + / = -（例如：openssl rand -hex 32）。
config-invalid = { $name } 无效。
startup-failed = cancelwatch 无法启动：{ $reason }

## npm run demo
demo-intro = 本地模拟的 Telegram 服务器加上真实的机器人，演示一个卖家群的对话。不联网，不需要令牌。
demo-person = 👤 { $name }：{ $text }
demo-upload = 👤 { $name } 发送了 { $file }（说明：{ $caption }）
demo-bot = 🤖 cancelwatch：
demo-picture = 🖼  趋势图已保存到 { $path }
demo-done = 完成。机器人的数据库是临时文件，没有保留任何内容。

## 每日摘要
summary-title = ☀️ { $day } 每日摘要
summary-figures = 已付款订单 { $orders }，已取消 { $cancelled } · 取消率 { $rate } · SFCR { $sellerFaultRate }
summary-no-orders = 当天没有已付款订单。
summary-shop = • { $shop }：{ $figures }
summary-alert = ⚠️ 卖家责任取消率 { $rate }，已超过你设置的 { $threshold } 警戒线。
summary-alert-volume-limit = 🚨 卖家责任取消率 { $rate } 已达到 { $limit }：TikTok 会在此水平开始限制订单量。请今天就处理。
summary-change = 对比前 7 天：取消率 { $rate }，前 7 天 { $baseline }（{ $change } 个百分点）· SFCR { $sellerFaultRate }，前 7 天 { $sellerFaultBaseline }（{ $sellerFaultChange } 个百分点）
summary-reasons-title = 主要原因：
summary-reason = • { $category }：{ $count }（{ $share }）
summary-strategy = {"  "}→ { $text }
summary-provisional = 数据为初步结果：近期订单的取消仍可能陆续出现。
summary-freshness = 最新订单时间：{ $newest }
summary-upload-nudge = 上次上传是 { $days } 天前：请发送新的导出文件以获取最新数据。
summary-no-data = 还没有订单，无法生成每日摘要：请发送“全部订单”导出文件（CSV 或 XLSX），并在说明里写 /import。
summary-trend-caption = 近 7 天取消率与卖家责任取消率
command-daily = 每日摘要：/daily 09:00 [地区/城市]，/daily off
bot-daily-on = ☀️ 已开启每日摘要：每天 { $time }（{ $timeZone }）。下一次：{ $next }。
bot-daily-status-on = 每日摘要：每天 { $time }（{ $timeZone }）。下一次：{ $next }。用 /daily off 关闭。
bot-daily-status-off = 每日摘要未开启。用 /daily 09:00 开启（店铺当地时间，见 /tz）。
bot-daily-off = 已关闭每日摘要。
bot-daily-bad-time = “{ $value }”不是时间。请使用 HH:MM，例如 /daily 09:00 或 /daily 08:30 Asia/Bangkok。
config-encryption-key = TOKEN_ENCRYPTION_KEY 必须是 32 字节，以 64 位十六进制或 base64 表示（例如：openssl rand -hex 32）。
config-minutes = { $name } 必须是 1 到 1440 之间的整数分钟。
config-sync-wait = { $name } 必须是 0 到 60 之间的整数秒。
config-linking-incomplete = 设置了 TIKTOK_APP_KEY 时必须设置 { $name }（关联店铺需要应用密钥、应用密码、服务 ID 和加密密钥）。

## 关联 TikTok 店铺
command-link = 关联 TikTok 店铺（管理员）
command-unlink = 取消关联 TikTok 店铺（管理员）
bot-link-disabled = 机器人运营方未开启 TikTok 店铺关联。请改为上传订单导出文件：/import。
bot-link-sent-private = 我已私信你授权链接。
bot-link-start-private = 我还不能私信你：请打开与我的私聊并点击“开始”，然后回到这里再次使用 /link。
bot-link-private = 授权 cancelwatch 读取你的 TikTok 店铺订单（用于 { $chat }）。链接 30 分钟内有效。
bot-link-button = 在 TikTok Shop 授权
bot-link-return = 授权后 TikTok 会把你带回来，我会询问要关联哪个店铺。
bot-link-paste = 授权后，从 TikTok 显示的地址中复制授权码（code=…），并在这里发送：/code 授权码
bot-link-choose = 已授权。要关联哪个店铺？
bot-link-invalid = 此授权已过期、已使用或不属于你。请在群里重新使用 /link。
bot-link-failed = TikTok 未接受授权码（可能已使用或超过 30 分钟）。请重新使用 /link。
bot-link-no-shops = 此 TikTok 账号没有授权给 cancelwatch 的店铺。
bot-link-done-private = ✅ 已关联 { $shop }，正在获取订单。
bot-link-done-group = 🔗 已关联 { $shop }：/rate 和每日摘要将使用实时订单。
bot-link-broken = ⚠️ { $shop }：TikTok 拒绝了机器人的访问（{ $reason }）。请管理员用 /link 重新关联店铺。
bot-link-unreadable = ⚠️ { $shop }：机器人无法再读取此店铺保存的授权（运营方更换了加密密钥），此店铺已停止同步。请管理员用 /link 重新关联。
sync-lag = { $shop } 上次同步于 { $ago }；更新的订单稍后补上。
sync-lag-first = { $shop } 正在首次获取订单；订单稍后补上。
sync-lag-relink = { $shop } 已停止同步：请管理员用 /link 重新关联。
sync-ago-minutes = { $n } 分钟前
sync-ago-hours = { $n } 小时前
sync-ago-days = { $n } 天前
bot-unlink-usage = 用法：/unlink 店铺名称。已关联店铺：{ $shops }
bot-unlink-confirm = 取消关联 { $shop }？订单可以保留用于报告，也可以一并删除。
bot-unlink-keep = 取消关联，保留订单
bot-unlink-drop = 取消关联并删除订单
bot-unlink-done = 已取消关联 { $shop }。
bot-shop-line-linked = • { $shop }（已关联）：{ $orders } 个订单，最近同步 { $lastSync }，授权有效至 { $expiry }
bot-shop-never = 从未
link-page-done = 已授权。请回到 Telegram：机器人正在询问要关联哪个店铺。
link-page-invalid = 此授权链接已过期、已使用，或不是由本机器人生成的。未做任何更改。请在群里重新使用 /link。
link-page-failed = TikTok 未接受授权。未做任何更改。请在群里重新使用 /link。

## Group robots (WeCom, Feishu, DingTalk)
command-push = 把每日摘要同步到企业微信、飞书或钉钉群
robot-field-orders = 已付款订单
robot-field-cancelled = 已取消
robot-field-cancel-rate = 取消率
robot-field-sfcr = SFCR
robot-cut-rate = 内容超出该平台的长度限制，已截断：在 Telegram 中向机器人发送 /rate 查看完整报告。
robot-cut-report = 内容超出该平台的长度限制，已截断：对同样的文件运行 cancelwatch report 查看完整报告。
robot-test-note = 🔧 cancelwatch 测试消息：每日摘要在这里会是这个样子。
robot-footer = cancelwatch · TikTok Shop 取消率
robot-service-wecom = 企业微信
robot-service-feishu = 飞书
robot-service-dingtalk = 钉钉
robot-target-service = 未知的平台：请用 wecom、feishu 或 dingtalk。
robot-target-url = 这不是网址（应以 https:// 开头）。
robot-target-host = 这不是{ $service }机器人的地址（应为其 webhook 域名，使用 https）。
robot-target-credential = 地址中没有机器人密钥：请从机器人设置中复制完整的 webhook 地址。
robot-target-secret-unsupported = 企业微信机器人没有签名密钥：只需提供地址。
robot-target-secret = 密钥看起来不对：请从机器人的安全设置中完整复制（不含空格）。
robot-failure-security = 机器人的安全设置拒绝了消息（密钥错误、缺少关键词、IP 白名单，或时钟相差超过一小时）
robot-failure-gone = 机器人已不存在（已从群中移除）
robot-failure-rate-limited = 机器人收到的消息过多，几分钟后会重试
robot-failure-refused = 平台拒绝了这条消息
robot-failure-network = 无法连接到平台，下一分钟会重试
bot-push-usage =
    把本群的每日摘要同步到企业微信、飞书或钉钉群（仅管理员）：
    /push add wecom|feishu|dingtalk webhook地址 [密钥]
    /push list · /push test · /push remove 序号
    地址相当于密码：请改在私聊中发给我，并注明本群：
    /push { $chat } add …
bot-push-private-usage =
    在私聊中，请用群 ID 指明群（在群里发送 /push 可以看到）：
    /push 群ID add wecom|feishu|dingtalk webhook地址 [密钥]
    /push 群ID list · /push 群ID test · /push 群ID remove 序号
bot-push-unknown-group = 我不认识 ID 为 { $chat } 的群。请先把我加入该群，再在群里发送 /push 查看它的 ID。
bot-push-not-admin-there = 只有该群的管理员才能查看或修改它的机器人。
config-robot-hosts = ROBOT_HOSTS 必须是以逗号分隔的主机名列表，每个可带 :端口。
demo-person-private = 👤 { $name }（与机器人私聊）：{ $text }
demo-wait-summary = … 等待下一分钟的定时任务：每日摘要发到群里，也发到群的机器人。
demo-robot-received = 📨 { $service }机器人收到（查询参数：{ $query }）：
bot-push-disabled = 机器人同步未开启：运行机器人的人需要设置 TOKEN_ENCRYPTION_KEY（机器人地址会加密保存）。
bot-push-list-empty = 还没有机器人接收本群的每日摘要。
bot-push-list-title = 接收本群每日摘要的机器人：
bot-push-item = { $n }. { $service } { $address }{ $signed } · { $state }
bot-push-signed = （已加签）
bot-push-state-active = 正常
bot-push-state-paused = ⏸ 已暂停：{ $why }
bot-push-daily-off = 每日摘要未开启：用 /daily HH:MM 开启后，机器人也会收到。
bot-push-daily-on = 它们每天 { $time }（{ $timeZone }）收到摘要。
bot-push-added = ✅ 已添加{ $service } { $address }{ $signed }。可用 /push test 测试。
bot-push-exists = 这个机器人已在列表中。
bot-push-too-many = 每个群最多同步到 { $max } 个机器人。请先用 /push remove 序号 删除一个。
bot-push-bad-target = 未添加：{ $why }
bot-push-deleted = 🔒 我已删除你的消息：机器人的地址和密钥相当于密码。下次请私聊发给我：/push { $chat } add …
bot-push-not-deleted = 🔒 你的消息包含机器人地址（相当于密码），但我无法删除它（我需要是有删除消息权限的管理员）。请自行删除，下次私聊发给我：/push { $chat } add …
bot-push-remove-usage = 删除哪一个？/push remove 序号，序号见 /push list。
bot-push-removed = 已删除{ $service } { $address }。
bot-push-test-title = 已向每个机器人发送测试消息：
bot-push-test-ok = { $n }. { $service } { $address }：已送达 ✅
bot-push-test-resumed = { $n }. { $service } { $address }：已送达 ✅，每日摘要已恢复
bot-push-test-failed = { $n }. { $service } { $address }：❌ { $why }（平台回复：{ $answer }）
bot-push-paused-notice = ⚠️ { $service }机器人 { $address } 已无法接收每日摘要：{ $why }。已暂停。请在机器人设置中修正后发送 /push test，或用 /push remove { $n } 删除。
cli-usage-push =
    {"      "}cancelwatch push --target wecom:地址|feishu:地址[#密钥]|dingtalk:地址[#密钥] … 文件…
    {"                         "}[--window …|--from … --to …] [--tz 地区/城市] [--lang zh|en] [--threshold 2.5]
    {"                         "}[--by product [--min-orders 20]] [--reasons 映射.csv]
cli-error-no-target = push 至少需要一个 --target（wecom:地址、feishu:地址#密钥 或 dingtalk:地址#密钥）。
cli-error-bad-target = 第 { $n } 个 --target：{ $why }
cli-error-bad-threshold = --threshold“{ $value }”不是 0.1 到 50 之间的百分比。
cli-push-sent = { $service } { $address }：已送达
cli-push-failed = { $service } { $address }：未送达：{ $why }（平台回复：{ $answer }）

## Export gaps: what a seller's file could not say, and files Excel changed
report-window-whole-file = 时间范围：整个文件（文件中没有订单时间）
report-missing-times = ⚠️ 此导出文件没有订单时间（没有 Created Time 或 Paid Time 列）：只能统计整个文件。没有付款时间的订单除未付款订单外都计为已下单。
report-missing-order-status = ⚠️ 没有 Order Status（订单状态）列：取消仅根据 Cancelation/Return Type 判断，无法区分未付款订单。
report-missing-order-substatus = ⚠️ 没有 Order Substatus（订单子状态）列。
report-missing-cancel-type = ⚠️ 没有 Cancelation/Return Type（取消/退货类型）列：无法找出部分取消的订单。
report-missing-created-time = ⚠️ 没有 Created Time（创建时间）列：订单按付款时间归日，没有付款时间的订单未计入（列为跳过的行）。
report-missing-paid-time = ⚠️ 没有 Paid Time（付款时间）列：除未付款订单外，所有订单都计为已下单。
report-missing-payment-method = ⚠️ 没有 Payment Method（支付方式）列：没有付款时间的订单按未付款处理，其中可能有货到付款订单。
report-missing-fulfillment-type = ⚠️ 没有 Fulfillment Type（履约类型）列：无法从卖家责任取消率中排除 TikTok 履约（FBT）订单。
report-missing-cancel-by = ⚠️ 没有 Cancel By（取消方）列。
report-missing-cancel-reason = ⚠️ 没有 Cancel Reason（取消原因）列。
report-missing-why = ⚠️ 此导出文件没有 { $columns } 列：无法计算卖家责任取消率、取消方和取消原因；取消率照常计算。
report-unrecognised = ⚠️ 无法识别的 { $column } 取值：{ $values }；{ $effect }
report-unrecognised-value = { $value } ×{ $count }
report-unrecognised-more = 另有 { $count } 种
report-unrecognised-effect-order-status = 已取消或未付款订单可能统计有误。
report-unrecognised-effect-order-substatus = 已仅按订单状态读取。
report-unrecognised-effect-cancel-type = 可能漏算取消行。
report-unrecognised-effect-created-time = 这些订单未计入。
report-unrecognised-effect-paid-time = 这些订单按未付款处理（货到付款订单仍可能计入）。
report-unrecognised-effect-payment-method = 没有付款时间的货到付款订单可能未计入。
report-unrecognised-effect-cancel-by = SFCR 可能偏低。
report-unrecognised-effect-cancel-reason = 已计入“其他”。
report-unrecognised-effect-fulfillment-type = TikTok 履约订单可能被计入 SFCR。
skipped-bad-order-id = { $file } 第 { $line } 行：Order ID（订单号）“{ $value }”不是订单号
skipped-bad-paid-time = { $file } 第 { $line } 行：Paid Time（付款时间）“{ $value }”不是日期（文件没有 Created Time，订单按付款时间归日）
skipped-undatable = { $file } 第 { $line } 行：没有付款时间，且文件没有 Created Time 列，订单无法归日
import-error-field-too-large = { $file }：第 { $line } 行有一个字段超过 { $limit } 个字符，远超任何导出列的内容，文件未读取。请重新导出，不要编辑文件。
import-error-excel-ids = { $file }：第 { $line } 行的 Order ID 是“{ $value }”：Excel 把订单号变成了四舍五入的数字，订单无法区分，未统计任何数据。请发送卖家中心导出的原始文件，或在 Excel 中打开时把 Order ID 列设为“文本”。
import-error-excel-ids-rounded = { $file }：订单号末尾都是 0（例如 { $value }）：Excel 把它们舍入到了 15 位，订单无法区分，未统计任何数据。请发送卖家中心导出的原始文件，或在 Excel 中打开时把 Order ID 列设为“文本”。
import-error-no-order-times = { $file } 没有订单时间（没有 Created Time 或 Paid Time 列）。机器人按天保存订单，无法使用此文件：请重新导出带时间列的“全部订单”。
import-error-no-order-times-window = { $file } 没有订单时间（没有 Created Time 或 Paid Time 列），只能统计整个文件：请去掉 --window、--from 和 --to。

## Big shops: imports taking turns, rollups
bot-import-queued = ⏳ { $file }：排队中，前面还有 { $ahead } 个文件，轮到后开始读取。
bot-file-not-handed-out = ❌ Telegram 未将 { $file } 交给机器人。在 Telegram 官方服务器上，机器人只能获取 20 MB 以内的文件：请导出较短的日期范围后重新发送。

## Exports read more carefully: day order, amounts, what a gap does to each rate
report-day-order-assumed = ⚠️ { $files }：所有日期的日和月都不超过 12，两种读法都成立，已按店铺时区 { $timeZone } 的写法读作{ $order ->
    [mdy] 月在前（M/D/YYYY）
   *[dmy] 日在前（D/M/YYYY）
  }。如有误，请设置店铺时区，或发送覆盖更多天的文件。
import-error-ambiguous-dates = { $file }：所有日期的日和月都不超过 12，两种读法都成立，又没有店铺时区说明哪个在前，未统计任何数据。请设置时区（例如 --tz America/New_York），或发送覆盖更多天的文件。
report-missing-order-amount = ⚠️ 没有 Order Amount（订单金额）列：无法得知取消损失的金额。
report-unrecognised-effect-order-amount = 这些金额未计入损失金额。
report-missing-why-no-cancel-rate = ⚠️ 此导出文件没有 { $columns } 列：无法计算卖家责任取消率、取消方和取消原因。由于也没有 Paid Time（付款时间），超时未付款的订单无法与取消订单区分，因此不计算取消率。
seller-fault-at-least = ⚠️ SFCR 至少为 { $rate }：上面有机器人不认识的取值，可能隐藏了卖家责任取消，因此无法确认在 { $threshold } 警戒线以内。

## Products: cancellations per product and SKU
command-products = 按商品查看取消：/products [时间范围] [店铺]
products-title = 按卖家责任取消排序的商品
products-line = { $rank }. { $name }
products-figures = {"   "}卖家责任 { $sellerFault }/{ $sellerFaultOrders }（{ $sellerFaultRate }）· 取消 { $cancelled }/{ $orders }（{ $cancelRate }）
products-partial = {" "}· 部分取消 { $count } 单
products-main-reason = {" "}· 主要原因：{ $reason }
products-no-rate = 不足 { $min } 单不计比率
products-more = ……另有 { $count } 个商品在此期间有订单。
products-min-note = 一个订单含几个商品就为每个商品各计一次。期间订单不少于 { $min } 单的商品才显示比率（卖家责任数字不含 FBT 和样品订单）。
products-none = 这些订单没有商品明细：请上传带 SKU ID、Seller SKU 或 Product Name 列的"全部订单"导出文件，或关联店铺。
products-no-orders = 此期间没有带商品明细的已付款订单。
products-unnamed = （未命名商品）
products-chart-title = 各商品取消情况
products-chart-seller-fault = 卖家责任取消
products-chart-other = 其他取消
products-chart-partial = 部分取消
products-chart-caption = 取消最多的商品，{ $from } 至 { $to }
report-products-title = 卖家责任取消最多的商品
report-product-line = • { $name }：{ $orders } 单中 { $cancelled } 单因卖家责任取消，主要原因：{ $reason }
summary-product = {"  "}主要来自 { $name }：卖家责任取消 { $total } 单中占 { $count } 单（{ $reason }）。
cli-error-bad-by = --by "{ $value }" 不是可用的分组。请用 --by product。
cli-error-bad-min-orders = --min-orders "{ $value }" 不是不小于 1 的整数。
strategy-product-out_of_stock = { $name }：卖家责任取消 { $total } 单中有 { $count } 单是缺货。请设为售罄或提高安全库存。
strategy-product-pricing_error = { $name }：卖家责任取消 { $total } 单中有 { $count } 单是价格错误。下次活动前核对它的价格和优惠。
strategy-product-late_fulfilment = { $name }：卖家责任取消 { $total } 单中有 { $count } 单是发货超时。延长它的备货时间，或在发货地备足库存。
strategy-product-delivery_failure = { $name }：卖家责任取消 { $total } 单中有 { $count } 单是配送失败。检查它的包装和承运商。
strategy-product-risk_control = { $name }：卖家责任取消 { $total } 单中有 { $count } 单被风控拦截。对照 TikTok 政策检查它的商品信息。
strategy-product-other = { $name }：卖家责任取消 { $total } 单中有 { $count } 单没有列明原因。查一查这个商品的订单出了什么问题。
config-product-min-orders = { $name } 必须是 1 到 100000 之间的整数（订单数）。
## Running in production
bot-import-no-space = ❌ { $file } 未导入：机器人服务器的磁盘空间暂时不足，没有保存任何数据。请稍后重新发送；已通知运维人员。
bot-upload-not-imported = ⚠️ { $file } 未导入：机器人在读取它时重启了，没有保存任何数据。请重新发送。
bot-upload-stored-unanswered = ✅ { $file } 已导入，但机器人在回复前重启了。/rate 可查看其中的订单。
bot-import-chat-full = ❌ { $file } 未导入：导入后本群保存的订单将超过 { $cap } 条，这是本机器人为每个群保存的上限。没有保存任何数据。/forget 可清除本群的订单；机器人的运营者可以提高上限。
config-seconds = { $name } 必须是 1 到 600 之间的整数秒。
config-count = { $name } 必须是 1 到 100 之间的整数。
config-proxy = { $name } 必须是 http:// 或 https:// 代理地址，例如 http://127.0.0.1:3128（不支持 SOCKS 代理）。
report-unknown-reasons = ❓ 机器人不认识的取消原因：{ $values }。已付款订单按“其他”计入。
report-unknown-reason-value = “{ $value }” ×{ $count }
report-uncertain-cod = { $count } 个货到付款订单因机器人不认识的原因取消：{ $values }；不计入任何比率

## 群平台（飞书、钉钉、企业微信）：同一套对话，在群里 @ 机器人
chat-help =
    <b>cancelwatch</b> — TikTok Shop 卖家的取消率助手
    在群里 @ 我并加上命令，斜杠可写可不写：@cancelwatch rate 7d

    rate [时间范围] [店铺] — 查看报告；时间范围：7d（默认）、30d、today、yesterday 或 2026-11-01..2026-11-07
    products [时间范围] [店铺] — 取消来自哪些商品和 SKU，附图
    import [店铺] — 然后在 30 分钟内私聊发给我订单导出文件（CSV 或 XLSX）
    shops — 店铺及已有数据
    daily 09:00 [地区/城市] — 每天该时间发送摘要；daily off 关闭
    lang zh|en — 本群语言
    tz 地区/城市 — 店铺时区（例如 America/Los_Angeles）
    threshold 2.5 — 卖家责任取消率警戒线（%）
    reason "文字" 类别 — 教机器人认识它列为未知的取消原因；reason list 查看
    admins — 谁可以修改设置；admins add @某人、admins remove @某人

    所有人都可以查看报告和上传；只有本群管理员可以修改设置。
chat-mention-hint = 请 @ 我并加上命令，例如 @cancelwatch rate 7d。发送 "help" 查看全部命令。
chat-import-privately = { $name }，请在 { $minutes } 分钟内私聊发给我订单导出文件（CSV 或 XLSX），它会导入本群的店铺 { $shop }。
chat-import-send-file = 请在这里发给我订单导出文件（CSV 或 XLSX）。
chat-import-private-received = 收到：{ $file } 将导入 { $group }（店铺 { $shop }），结果会发在群里。
chat-import-private-by = { $name } 私聊发送了 { $file }（店铺 { $shop }）：
chat-import-which-group =
    { $file } 是哪个群的？请在 { $minutes } 分钟内回复序号：
    { $groups }
    0. 都不是：留在这个私聊里
chat-import-group-line = { $number }. { $title }
chat-import-nothing-waiting = 没有等待选择群的文件。请先发送导出文件，或先在群里说 "import"，再在这里发送。
chat-import-bad-number = 列表里没有序号 { $value }，请回复列表中的序号。
chat-untitled-group = （一个群）
chat-admins-title = 本群管理员：
chat-admins-platform = 群主和群管理员也是管理员。
chat-admins-none = 本群还没有设置管理员：第一个修改设置的人会成为管理员。
chat-admins-line = • { $name }
chat-admins-usage = admins — 查看；admins add @某人；admins remove @某人（仅管理员）
chat-admins-added = 已添加为管理员：{ $names }。
chat-admins-removed = 已移出管理员：{ $names }。
chat-admins-last = 每个群至少保留一位管理员：{ $names } 仍是管理员。
chat-admins-first = { $name } 设置了本群，现在是本群管理员。添加其他人：admins add @某人
chat-report-details = 全部原因、商品和改进建议
chat-unavailable = { $command } 目前只能在 Telegram 中使用。
chat-file-not-fetched = ❌ 无法从聊天平台获取 { $file }。请重新发送。
config-feishu-app-id = FEISHU_APP_ID 必须是飞书应用 ID（cli_ 加字母和数字），见应用的“凭证与基础信息”页。
config-secret = { $name } 必须是 8 到 256 个字符。
config-feishu-domain = FEISHU_DOMAIN 必须是 feishu、lark，或开放平台的 http(s) 地址。
config-feishu-events = FEISHU_EVENTS 必须是 ws（长连接，默认）或 http（事件发送到 /feishu/events）。
config-platform-incomplete = 还需要设置 { $name }：一个聊天平台的设置要么全部设置，要么都不设置。
config-feishu-http-token = FEISHU_EVENTS=http 时必须设置 FEISHU_VERIFICATION_TOKEN，确保只有飞书能发送事件。
config-operator-admins = OPERATOR_ADMINS 必须是逗号分隔的 平台:ID 列表（例如 feishu:ou_123, telegram:12345）。
demo-feishu-intro = —— 同一个机器人在飞书群里（本地模拟的飞书开放平台）：命令用 @ 提及，回复是卡片。——
demo-feishu-person = 👤 { $name }：@cancelwatch { $text }
config-dingtalk-client-id = DINGTALK_CLIENT_ID 必须是应用的 ClientID（AppKey）：字母、数字、_ 或 -。
config-dingtalk-events = DINGTALK_EVENTS 必须是 stream（Stream 模式，默认）或 http（回调发送到 /dingtalk/events）。
config-wecom-bot-id = WECOM_BOT_ID 必须是智能机器人的 Bot ID（字母、数字、_ 或 -），见企业微信管理后台中该机器人的页面。
config-wecom-ws-url = WECOM_WS_URL 必须是 ws:// 或 wss:// 地址，例如 wss://openws.work.weixin.qq.com。
