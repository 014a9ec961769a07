# cancelwatch — English

## Report
report-title = Cancellation report
report-window = Window: { $from } – { $to } ({ $timeZone })
report-no-orders = No paid orders in this window.
report-orders = Paid orders: { $orders }
report-cancelled = Cancelled: { $cancelled } · cancel rate { $rate }
report-seller-fault = Seller-fault cancellations: { $cancelled } of { $orders } · SFCR { $rate } (target ≤ { $threshold })
report-seller-fault-above = ⚠️ Above the { $threshold } line: TikTok may limit the shop. Act on the strategies below.
report-seller-fault-within = ✅ Within the { $threshold } line.
report-by-initiator = Cancelled by: { $parts }
report-initiator-part = { $who } { $count }
list-separator = {" · "}
report-partially-cancelled = Partially cancelled (some items only, not counted as cancelled): { $count }
report-unpaid-expired = { $count ->
    [one] 1 unpaid order expired (not counted)
   *[other] { $count } unpaid orders expired (not counted)
  }
report-lost-amount = Lost to cancellations: { NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } { $currency }
report-lost-amount-no-currency = Lost to cancellations: { NUMBER($amount, minimumFractionDigits: 2, maximumFractionDigits: 2) } (currency not stated in the file)
report-previous = Previous period { $from } – { $to }: cancel rate { $rate }, SFCR { $sellerFaultRate }
report-reasons-title = Top cancellation reasons
report-reason = • { $category }: { $count } ({ $share })
report-reason-seller-fault = • { $category }: { $count } ({ $share }), seller-fault { $sellerFault }
report-reason-examples = {"  "}as written: { $examples }
report-strategies-title = What to do
report-strategy-category = { $category }:
report-strategy-item = {"  "}– { $text }
report-skipped = Rows skipped: { $count }
report-skipped-item = {"  "}{ $text }
report-footnote = Seller-fault rate estimated from TikTok's published definition (FBT and sample orders left out).
rate-none = no rate

## Who cancelled
initiator-buyer = buyer
initiator-seller = seller
initiator-system = system
initiator-platform = TikTok
initiator-unknown = unknown

## Reason categories
category-out_of_stock = Out of stock
category-pricing_error = Pricing error
category-price_or_promotion = Price or promotion
category-late_fulfilment = Late shipping or handover
category-delivery_failure = Delivery failed
category-description_mismatch = Wrong variation or description
category-changed_mind = Buyer changed mind
category-order_details = Address or payment details
category-risk_control = Risk control
category-unpaid = Not paid
category-other = Other

## Strategies (2–4 per category)
strategy-out_of_stock-1 = Sync stock with your warehouse or ERP at least daily and keep a safety buffer: never list more than you can ship.
strategy-out_of_stock-2 = Turn on low-stock alerts and set a variation to sold out before it reaches zero, instead of cancelling orders.
strategy-out_of_stock-3 = Check stock per SKU (every colour and size), not only the product total.
strategy-out_of_stock-4 = For items with unreliable supply, use pre-order with an honest ship-by date.
strategy-pricing_error-1 = Double-check price, currency and discount before publishing; have a second person review bulk price edits.
strategy-pricing_error-2 = Set a minimum price for promotions so stacked platform and seller discounts cannot push a price below cost.
strategy-pricing_error-3 = If a wrong price slips through, fix the listing at once; shipping the few orders sold often costs less than the SFCR hit.
strategy-price_or_promotion-1 = Price for each market: check local competitors regularly, shipping fee included.
strategy-price_or_promotion-2 = Show coupons and promotions on the product page so buyers do not cancel to re-order with a coupon.
strategy-price_or_promotion-3 = Use a free-shipping threshold or shipping subsidy where high shipping fees drive cancellations.
strategy-late_fulfilment-1 = Ship within the handling time you promise; set a realistic handling time for each warehouse.
strategy-late_fulfilment-2 = Arrange pickup or drop-off every day and add valid tracking as soon as the parcel is handed over.
strategy-late_fulfilment-3 = Check the awaiting-shipment list every morning and act on anything near its deadline.
strategy-late_fulfilment-4 = Work with reliable logistics partners and keep a backup carrier for peak days.
strategy-delivery_failure-1 = Choose logistics partners with good on-time and intact-delivery records in each market; review them monthly.
strategy-delivery_failure-2 = Pack for the whole route: sturdy boxes, padding and waterproof wrap for cross-border parcels.
strategy-delivery_failure-3 = Check addresses and phone numbers before shipping and message the buyer when one looks incomplete.
strategy-description_mismatch-1 = Write accurate titles and descriptions: size charts in local units, materials, what is in the box.
strategy-description_mismatch-2 = Use real product photos for every variation (colour, size), not supplier renders.
strategy-description_mismatch-3 = Make variations easy to pick: one attribute per option, with names buyers understand.
strategy-changed_mind-1 = Answer buyer messages fast (within 12 hours): a quick reply often saves an order about to be cancelled.
strategy-changed_mind-2 = Send a short after-purchase message confirming size, colour and delivery time.
strategy-changed_mind-3 = Ship quickly: the sooner an order is on its way, the less time a buyer has to change their mind.
strategy-order_details-1 = Remind buyers to check address and payment before paying (product page note, chat auto-reply).
strategy-order_details-2 = Offer the payment methods that are common in each market.
strategy-order_details-3 = When a buyer asks to change the address, help in chat instead of cancelling where the platform allows it.
strategy-risk_control-1 = Watch for unusual order patterns (many orders from one account or address) and avoid promotions that attract abuse.
strategy-risk_control-2 = Follow TikTok Shop listing and promotion policies, and fix flagged products quickly.
strategy-risk_control-3 = If genuine orders are blocked, send the order IDs to seller support.
strategy-unpaid-1 = Keep checkout simple and offer the local payment methods buyers expect.
strategy-unpaid-2 = Make limited-time offers clear, so buyers pay before the order expires.
strategy-other-1 = Read the reasons listed as written under Other and look for a pattern you can fix.
strategy-other-2 = Ask buyers who cancel why, in a short friendly message: it turns Other into something you can act on.

## Skipped rows
skipped-missing-order-id = { $file } line { $line }: no Order ID
skipped-bad-created-time = { $file } line { $line }: Created Time "{ $value }" is not a date
skipped-impossible-date = { $file } line { $line }: Created Time "{ $value }" is not a real date in this file's day/month order
skipped-amount-out-of-range = { $file } line { $line }: Order Amount "{ $value }" is too large to be a real order's amount
skipped-bad-cell-reference = { $file } line { $line }: the reference "{ $value }" names no cell a sheet can have (the last one is XFD1048576)

## Import errors
import-error-empty = { $file } is empty.
import-error-no-data = { $file } has a header but no orders.
import-error-not-a-table = { $file } is not a CSV or XLSX order export. Export "All orders" from Seller Center as CSV or XLSX.
import-error-legacy-xls = { $file } is an old Excel .xls file. Save it as .xlsx or .csv and send it again.
import-error-xlsx-damaged = { $file } is damaged or incomplete (the upload may have been cut off). Export it again.
import-error-xlsx-too-large = { $file } expands to more than { $limitMb } MB when unpacked, so it was not read. Export a shorter period.
import-error-other-platform = { $file } looks like a { $platform } export. Supported: TikTok Shop.
import-error-no-header = { $file } has no TikTok Shop header row (Order ID, Order Status, Created Time…). Export "All orders" from Seller Center.
import-error-missing-columns = { $file } is missing the column { $columns ->
    [id] Order ID
   *[status] Order Status (or Cancelation/Return Type)
  }.
import-error-too-many-bad-rows = { $file }: { $bad } of { $rows } rows could not be read, too many to trust the figures. Nothing was imported. First problems:
import-error-mixed-date-styles = { $file } mixes day-first and month-first dates (lines { $line1 } and { $line2 }). Export the file again without editing it.
import-error-encoding = { $file } is not readable text in UTF-8, UTF-16, GB18030, Shift_JIS or Windows-1252. Export it again from Seller Center.
import-error-unterminated-quote = { $file }: a quote opened on line { $line } is never closed, so the rest of the file cannot be read. Export it again without editing it.
import-error-xlsx-bad-reference = { $file } is damaged: its header (row { $line }) has a cell at "{ $ref }", where no sheet can have one (the last cell is XFD1048576), so its columns cannot be told apart. Export it again.

## Command line
cli-usage =
    Usage: cancelwatch report FILE… [--window 7d|30d|today|yesterday|YYYY-MM-DD..YYYY-MM-DD]
    {"                               "}[--from YYYY-MM-DD --to YYYY-MM-DD] [--tz Area/City] [--lang zh|en] [--json]
    {"                               "}[--by product [--min-orders 20]] [--reasons mappings.csv]
cli-error-no-files = No order file given.
cli-error-unknown-command = Unknown command "{ $command }".
cli-error-bad-option = { $message }
cli-error-bad-window = "{ $value }" is not a window. Use today, yesterday, 7d, 30d or YYYY-MM-DD..YYYY-MM-DD.
cli-error-bad-day = --{ $option } "{ $value }" is not a day (YYYY-MM-DD).
cli-error-from-to = --from and --to go together, with --from not after --to, and not with --window.
cli-error-bad-tz = "{ $value }" is not a time zone. Use an Area/City name such as Asia/Shanghai or America/Los_Angeles.
cli-error-bad-lang = "{ $value }" is not a language. Use zh or en.
cli-error-file-missing = { $file }: no such file.
cli-progress = Reading { $file }: { $percent }%
cli-usage-notes =
    --reasons mappings.csv: cancel reasons the report does not know, mapped to a category, one "text,category" row per line (as /reason teaches the bot).
    {"  "}Categories: { $categories }
    cancelwatch --version prints the version; cancelwatch --help prints this text.
cli-error-reasons-unreadable = --reasons { $file }: the file cannot be read.
cli-error-reasons-bad-row = { $file } line { $line }: "{ $value }" is not a row of two values, the reason text and its category (quote a text that holds a comma).
cli-error-reasons-bad-category = { $file } line { $line }: "{ $value }" is not a reason category. Use one of: { $categories }.
cli-error-reasons-no-text = { $file } line { $line }: the reason text "{ $value }" has no words; write it as the export shows it.
cli-error-reasons-conflict = { $file } line { $line }: "{ $value }" is mapped to { $category } already, on line { $first }.
cli-error-reasons-unclosed-quote = { $file } line { $line }: a quote opened here is never closed.

## Bot: commands menu (descriptions shown by Telegram)
command-start = Start and see this chat's settings
command-help = How to use cancelwatch
command-rate = Cancellation rate: /rate [7d|30d|today|yesterday|from..to] [shop]
command-import = Upload an order export (CSV or XLSX)
command-shops = Shops and their data
command-lang = Language: /lang zh or /lang en
command-tz = Shop time zone: /tz Area/City
command-threshold = Seller-fault alert line: /threshold 2.5
command-reason = Teach a cancel reason: /reason "text" category
command-forget = Delete this chat's data

## Bot: replies
bot-welcome =
    👋 cancelwatch reads your TikTok Shop order exports and tells you the cancellation rate, the seller-fault rate (SFCR) and what to do about it.

    Language: English · Time zone: { $timeZone } · Alert line: { $threshold }
    Send an "All orders" export (CSV or XLSX) from Seller Center, then type /rate. /help lists everything.
bot-help =
    <b>cancelwatch</b> — cancellation rates for TikTok Shop sellers

    /rate [window] [shop] — the report; window: 7d (default), 30d, today, yesterday or 2026-11-01..2026-11-07
    /products [window] [shop] — which products and SKUs the cancellations come from, with a picture
    /import [shop] — upload an order export (Seller Center → Orders → Export → All orders, CSV or XLSX)
    /shops — shops and the data the bot has
    /daily 09:00 [Area/City] — a summary every morning at that time; /daily off to stop
    /push — the daily summary in WeCom, Feishu or DingTalk groups too (admins)
    /link, /unlink shop — link a TikTok shop so figures keep themselves current (admins)
    /lang zh|en — language of the chat
    /tz Area/City — your shop's time zone (e.g. America/Los_Angeles)
    /threshold 2.5 — seller-fault alert line in %
    /reason "text" category — teach the bot a cancel reason it lists as unknown (admins); /reason list
    /forget — delete all of this chat's data

    <b>Uploading in a group</b>: the bot only sees files meant for it. Send the file with <code>/import</code> as its caption, or as a reply to the bot's /import message. (If the bot is a group admin, any .csv or .xlsx posted is read.)
    Anyone may use /rate, /help and upload; only group admins change settings or use /forget.
bot-import-prompt = Send the order export (CSV or XLSX) as a reply to this message. Shop: { $shop }
bot-import-reading = 📥 Reading { $file }…
bot-import-done = ✅ { $file }: { $orders } orders ({ $newOrders } new), { $from } – { $to }.
bot-import-skipped = { $count ->
    [one] 1 row was skipped:
   *[other] { $count } rows were skipped:
  }
bot-import-failed = ❌ Nothing was imported.
bot-file-too-big = ❌ { $file } is { $sizeMb } MB; the bot accepts files up to { $limitMb } MB. Export a shorter period, or split it.
bot-file-wrong-type = ❌ { $file } is not a CSV or XLSX file. Export "All orders" from Seller Center as CSV or XLSX.
bot-file-download-failed = ❌ { $file } could not be downloaded from Telegram. Please send it again.
bot-no-data =
    There are no orders for this chat yet. Send an "All orders" export (CSV or XLSX) from Seller Center, with /import as the caption in groups.
bot-no-data-window = No orders in { $from } – { $to }. The data covers { $dataFrom } – { $dataTo }.
bot-bad-rate-argument = "{ $value }" is neither a window nor a shop of this chat. Windows: 7d, 30d, today, yesterday or 2026-11-01..2026-11-07. Shops: { $shops }
bot-unknown-shop = No shop named "{ $shop }" in this chat. Shops: { $shops }
bot-no-shops = none yet
bot-lang-usage = Usage: /lang zh or /lang en
bot-lang-set = Language set to English.
bot-tz-usage = Usage: /tz Area/City, for example /tz America/Los_Angeles or /tz Asia/Bangkok. Current: { $timeZone }
bot-tz-bad = "{ $value }" is not a time zone. Use an Area/City name such as Asia/Shanghai or America/Los_Angeles.
bot-tz-set = Time zone set to { $timeZone }. Today there is { $today }.
bot-threshold-usage = Usage: /threshold 2.5 (a percentage between 0.1 and 50). Current: { $threshold }
bot-threshold-bad = "{ $value }" is not a percentage between 0.1 and 50.
bot-threshold-set = Seller-fault alert line set to { $threshold }.
bot-admins-only = Sorry, only group admins can change this.
bot-shops-title = <b>Shops in this chat</b>
bot-shop-line = • { $shop }: { $orders } orders, { $from } – { $to }, last upload { $lastImport }
bot-shop-line-empty = • { $shop }: no orders
bot-forget-confirm = Delete all of this chat's orders, shops and settings? This cannot be undone.
bot-forget-yes = Delete everything
bot-forget-no = Keep
bot-forget-done = 🗑 All of this chat's data was deleted.
bot-forget-kept = Nothing was deleted.
bot-unknown-command = I don't know { $command }. /help lists what I can do.
bot-reason-usage = Usage: /reason "the reason text" category — for example /reason "Payment overdue" unpaid. Past and future orders of this chat with that text then count under that category. /reason list shows what this chat taught; /reason remove "the text" forgets one. Categories: { $categories }
bot-reason-taught = ✅ "{ $text }" now counts as { $category } in this chat: { $orders } stored orders changed, and later uploads and syncs follow it.
bot-reason-removed = 🗑 "{ $text }" is forgotten: { $orders } stored orders are read by the bot's own rules again.
bot-reason-not-taught = This chat has not taught "{ $text }". /reason list shows what it taught.
bot-reason-none = This chat has not taught the bot any reason yet.
bot-reason-list-title = Reasons this chat taught the bot:
bot-reason-line = • "{ $text }" → { $category } ({ $id })
bot-busy = Something went wrong on our side; please try again in a minute.
bot-slow-down = This chat is sending commands faster than the bot can answer. Some were skipped; wait a minute and send one at a time.
bot-chat-not-allowed = Sorry, this bot serves only the groups its operator has set it up for. Ask whoever runs it to add this chat.
bot-trend-caption = Daily cancel rate and seller-fault rate, { $from } – { $to }
chart-title = Cancellation trend
chart-cancel-rate = Cancel rate
chart-seller-fault-rate = Seller-fault rate
chart-threshold = Alert line { $threshold }

## Start-up settings (read by whoever runs the bot)
config-bot-token-missing = BOT_TOKEN is not set: get a token from @BotFather and put it in the environment or in .env (see .env.example), or set another platform's settings (FEISHU_APP_ID and FEISHU_APP_SECRET, DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET, or WECOM_BOT_ID and WECOM_BOT_SECRET). Without a chat platform, try `npm run demo` or `npx cancelwatch report examples/OrderSKUList-sample.csv`.
config-bot-token-format = BOT_TOKEN does not look like a bot token (digits, a colon, then 30 or more letters).
config-url = { $name } must be an http(s) URL, such as https://api.telegram.org.
config-database-url = DATABASE_URL must start with sqlite: (a file) or postgres://.
config-log-level = LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.
config-megabytes = { $name } must be a number of megabytes from 1 to 2000.
config-webhook-secret-format = WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -.
config-webhook-secret-missing = WEBHOOK_SECRET is required with WEBHOOK_URL, so that only Telegram can post updates.
config-port = PORT must be a port number from 1 to 65535.
config-allowed-chats = ALLOWED_CHATS must be a comma-separated list of Telegram chat ids (such as -1001234567890) or @usernames, or other platforms' chats as platform:id (such as feishu:oc_123).
config-order-cap = MAX_ORDERS_PER_CHAT must be a whole number of orders from 1000 to 1000000000.
config-metrics-token = METRICS_TOKEN must be 16 to 256 letters, digits or . _ ~ + / = - (for example: openssl rand -hex 32).
config-invalid = { $name } is not valid.
startup-failed = cancelwatch could not start: { $reason }

## npm run demo
demo-intro = A local fake Telegram server and the real bot, playing a seller group's conversation. No network, no token.
demo-person = 👤 { $name }: { $text }
demo-upload = 👤 { $name } sends { $file } (caption: { $caption })
demo-bot = 🤖 cancelwatch:
demo-picture = 🖼  trend picture saved to { $path }
demo-done = Done. The bot's database was a temporary file; nothing was kept.

## Daily summary
summary-title = ☀️ Daily summary for { $day }
summary-figures = { $orders } paid orders, { $cancelled } cancelled · cancel rate { $rate } · SFCR { $sellerFaultRate }
summary-no-orders = No paid orders that day.
summary-shop = • { $shop }: { $figures }
summary-alert = ⚠️ Seller-fault rate { $rate } is above your { $threshold } line.
summary-alert-volume-limit = 🚨 Seller-fault rate { $rate } has reached { $limit }: at this level TikTok starts limiting order volume. Act today.
summary-change = Against the 7 days before: cancel rate { $rate } vs { $baseline } ({ $change } pts) · SFCR { $sellerFaultRate } vs { $sellerFaultBaseline } ({ $sellerFaultChange } pts)
summary-reasons-title = Top reasons:
summary-reason = • { $category }: { $count } ({ $share })
summary-strategy = {"  "}→ { $text }
summary-provisional = Figures are provisional: cancellations for recent orders can still arrive.
summary-freshness = Newest order seen: { $newest }
summary-upload-nudge = { $days ->
    [one] The last upload was 1 day ago: send a fresh export for current figures.
   *[other] The last upload was { $days } days ago: send a fresh export for current figures.
  }
summary-no-data = No orders yet for a daily summary: send an "All orders" export (CSV or XLSX) with /import as the caption.
summary-trend-caption = Cancel rate and seller-fault rate, last 7 days
command-daily = Daily summary: /daily 09:00 [Area/City], /daily off
bot-daily-on = ☀️ Daily summary on: every day at { $time } ({ $timeZone }). Next: { $next }.
bot-daily-status-on = Daily summary: every day at { $time } ({ $timeZone }). Next: { $next }. Turn it off with /daily off.
bot-daily-status-off = The daily summary is off. Turn it on with /daily 09:00 (your shop's time, see /tz).
bot-daily-off = Daily summary off.
bot-daily-bad-time = "{ $value }" is not a time of day. Use HH:MM, for example /daily 09:00 or /daily 08:30 Asia/Bangkok.
config-encryption-key = TOKEN_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64 (for example: openssl rand -hex 32).
config-minutes = { $name } must be a whole number of minutes from 1 to 1440.
config-sync-wait = { $name } must be a whole number of seconds from 0 to 60.
config-linking-incomplete = { $name } is required when TIKTOK_APP_KEY is set (linking shops needs the app key, secret, service id and an encryption key).

## Linking a TikTok shop
command-link = Link a TikTok shop (admins)
command-unlink = Unlink a TikTok shop (admins)
bot-link-disabled = Linking a TikTok shop is not enabled by this bot's operator. Upload order exports instead: /import.
bot-link-sent-private = I have sent you a private message with the authorization link.
bot-link-start-private = I cannot message you privately yet: open a private chat with me, press Start, then use /link here again.
bot-link-private = Authorize cancelwatch to read the orders of your TikTok shop, for { $chat }. The link works for 30 minutes.
bot-link-button = Authorize on TikTok Shop
bot-link-return = After you authorize, TikTok sends you back and I ask which shop to link.
bot-link-paste = After you authorize, copy the code from the address TikTok shows (code=…) and send it here as: /code THE_CODE
bot-link-choose = Authorized. Which shop should be linked?
bot-link-invalid = This authorization is expired, already used, or not yours. Use /link again in the group.
bot-link-failed = TikTok did not accept the authorization code (it may be used, or older than 30 minutes). Use /link again.
bot-link-no-shops = This TikTok account has no shop authorized for cancelwatch.
bot-link-done-private = ✅ { $shop } is linked. Its orders are being fetched now.
bot-link-done-group = 🔗 { $shop } is now linked: /rate and the daily summary use its live orders.
bot-link-broken = ⚠️ { $shop }: TikTok refused the bot's access ({ $reason }). An admin should link the shop again with /link.
bot-link-unreadable = ⚠️ { $shop }: the bot can no longer read this shop's saved authorization (the operator changed its encryption key), so the shop is not synced. An admin should link it again with /link.
sync-lag = { $shop } last synced { $ago }; newer orders will follow.
sync-lag-first = { $shop } is still being fetched for the first time; its orders will follow.
sync-lag-relink = { $shop } is not syncing any more: an admin should link it again with /link.
sync-ago-minutes = { $n } min ago
sync-ago-hours = { $n } h ago
sync-ago-days = { $n ->
    [one] 1 day ago
   *[other] { $n } days ago
}
bot-unlink-usage = Usage: /unlink shop name. Linked shops: { $shops }
bot-unlink-confirm = Unlink { $shop }? Its orders can stay for reports, or be deleted too.
bot-unlink-keep = Unlink, keep orders
bot-unlink-drop = Unlink and delete orders
bot-unlink-done = { $shop } is unlinked.
bot-shop-line-linked = • { $shop } (linked): { $orders } orders, last sync { $lastSync }, access until { $expiry }
bot-shop-never = never
link-page-done = Authorized. Go back to Telegram: the bot is asking which shop to link.
link-page-invalid = This authorization link is expired, already used, or was not made by this bot. Nothing was changed. Use /link again in your group.
link-page-failed = TikTok did not accept the authorization. Nothing was changed. Use /link again in your group.

## Group robots (WeCom, Feishu, DingTalk)
command-push = Daily summary in WeCom, Feishu or DingTalk groups too
robot-field-orders = Paid orders
robot-field-cancelled = Cancelled
robot-field-cancel-rate = Cancel rate
robot-field-sfcr = SFCR
robot-cut-rate = Cut to fit this service's size limit: send /rate to the bot in Telegram for the whole report.
robot-cut-report = Cut to fit this service's size limit: run cancelwatch report on the same files for the whole report.
robot-test-note = 🔧 Test from cancelwatch: the daily summary will look like this here.
robot-footer = cancelwatch · TikTok Shop cancellation rates
robot-service-wecom = WeCom
robot-service-feishu = Feishu
robot-service-dingtalk = DingTalk
robot-target-service = Unknown service: use wecom, feishu or dingtalk.
robot-target-url = That is not a web address (it should start with https://).
robot-target-host = That is not the address of a { $service } robot (its webhook host, over https).
robot-target-credential = The address has no robot key in it: copy the whole webhook address from the robot's settings.
robot-target-secret-unsupported = WeCom robots have no secret: give the address alone.
robot-target-secret = The secret looks wrong: copy it whole from the robot's security settings (no spaces).
robot-failure-security = the robot's security settings refused it (a wrong secret, a missing keyword, an IP allow-list, or a clock off by more than an hour)
robot-failure-gone = the robot no longer exists (removed from its group)
robot-failure-rate-limited = the robot got too many messages; it is tried again in a few minutes
robot-failure-refused = the service refused the message
robot-failure-network = the service could not be reached; it is tried again at the next minute
bot-push-usage =
    Mirror this group's daily summary into WeCom, Feishu or DingTalk groups (admins only):
    /push add wecom|feishu|dingtalk webhook-address [secret]
    /push list · /push test · /push remove N
    The address is a password: send it to me in a private chat instead, naming this group:
    /push { $chat } add …
bot-push-private-usage =
    In a private chat, name the group by its id (shown by /push in the group):
    /push group-id add wecom|feishu|dingtalk webhook-address [secret]
    /push group-id list · /push group-id test · /push group-id remove N
bot-push-unknown-group = I don't know a group with id { $chat }. Add me to it first, then send /push there to see its id.
bot-push-not-admin-there = Only admins of that group can change or see its robots.
config-robot-hosts = ROBOT_HOSTS must be a comma-separated list of host names, each with an optional :port.
demo-person-private = 👤 { $name } (private chat with the bot): { $text }
demo-wait-summary = … waiting for the next minute's tick: the daily summary goes to the group and to its robots.
demo-robot-received = 📨 { $service } robot received (query: { $query }):
bot-push-disabled = Robots are off: whoever runs the bot must set TOKEN_ENCRYPTION_KEY (robot addresses are stored encrypted).
bot-push-list-empty = No robots get this group's daily summary yet.
bot-push-list-title = Robots that get this group's daily summary:
bot-push-item = { $n }. { $service } { $address }{ $signed } · { $state }
bot-push-signed = {" "}(signed)
bot-push-state-active = active
bot-push-state-paused = ⏸ paused: { $why }
bot-push-daily-off = The daily summary is off: set it with /daily HH:MM and the robots get it too.
bot-push-daily-on = They get it every day at { $time } ({ $timeZone }).
bot-push-added = ✅ Added { $service } { $address }{ $signed }. Check it with /push test.
bot-push-exists = That robot is already on the list.
bot-push-too-many = A group can mirror into at most { $max } robots. Remove one first with /push remove N.
bot-push-bad-target = Not added: { $why }
bot-push-deleted = 🔒 I deleted your message: a robot's address and secret are passwords. Next time send them to me privately: /push { $chat } add …
bot-push-not-deleted = 🔒 Your message holds a robot's address, a password, and I could not delete it (I need to be an admin who may delete messages). Please delete it yourself, and next time send it to me privately: /push { $chat } add …
bot-push-remove-usage = Which one? /push remove N, with N from /push list.
bot-push-removed = Removed { $service } { $address }.
bot-push-test-title = A test message went to each robot:
bot-push-test-ok = { $n }. { $service } { $address }: delivered ✅
bot-push-test-resumed = { $n }. { $service } { $address }: delivered ✅, the daily summary is on again
bot-push-test-failed = { $n }. { $service } { $address }: ❌ { $why } (answer: { $answer })
bot-push-paused-notice = ⚠️ The { $service } robot { $address } stopped getting the daily summary: { $why }. It is paused. Fix it in the robot's settings and send /push test, or /push remove { $n }.
cli-usage-push =
    {"       "}cancelwatch push --target wecom:URL|feishu:URL[#secret]|dingtalk:URL[#secret] … FILE…
    {"                         "}[--window …|--from … --to …] [--tz Area/City] [--lang zh|en] [--threshold 2.5]
    {"                         "}[--by product [--min-orders 20]] [--reasons mappings.csv]
cli-error-no-target = push needs at least one --target (wecom:URL, feishu:URL#secret or dingtalk:URL#secret).
cli-error-bad-target = --target number { $n }: { $why }
cli-error-bad-threshold = --threshold "{ $value }" is not a percentage between 0.1 and 50.
cli-push-sent = { $service } { $address }: delivered
cli-push-failed = { $service } { $address }: not delivered: { $why } (answer: { $answer })

## Export gaps: what a seller's file could not say, and files Excel changed
report-window-whole-file = Window: the whole file (it has no order times)
report-missing-times = ⚠️ This export has no order times (no Created Time or Paid Time column): whole file only. Orders without a paid time count as placed unless unpaid.
report-missing-order-status = ⚠️ No Order Status column: cancellations are read from Cancelation/Return Type alone, and unpaid orders cannot be told apart.
report-missing-order-substatus = ⚠️ No Order Substatus column.
report-missing-cancel-type = ⚠️ No Cancelation/Return Type column: orders cancelled only in part cannot be found.
report-missing-created-time = ⚠️ No Created Time column: orders are dated by their paid time, and orders without one are left out (listed as skipped).
report-missing-paid-time = ⚠️ No Paid Time column: every order counts as placed except unpaid ones.
report-missing-payment-method = ⚠️ No Payment Method column: orders without a paid time count as unpaid, although some may be cash on delivery.
report-missing-fulfillment-type = ⚠️ No Fulfillment Type column: orders fulfilled by TikTok cannot be left out of the seller-fault rate.
report-missing-cancel-by = ⚠️ No Cancel By column.
report-missing-cancel-reason = ⚠️ No Cancel Reason column.
report-missing-why = ⚠️ This export has no { $columns } { $count ->
    [one] column
   *[other] columns
  }: seller-fault rate, who cancelled and reasons are not available; the cancel rate is.
report-unrecognised = ⚠️ Unrecognised { $column } values: { $values }; { $effect }
report-unrecognised-value = { $value } ×{ $count }
report-unrecognised-more = { $count } more
report-unrecognised-effect-order-status = cancelled or unpaid orders may be miscounted.
report-unrecognised-effect-order-substatus = the status was read without it.
report-unrecognised-effect-cancel-type = cancel lines may be missed.
report-unrecognised-effect-created-time = these orders were left out.
report-unrecognised-effect-paid-time = these orders count as not paid (cash-on-delivery orders may still count).
report-unrecognised-effect-payment-method = cash-on-delivery orders without a paid time may be left out.
report-unrecognised-effect-cancel-by = SFCR may be understated.
report-unrecognised-effect-cancel-reason = they are counted under Other.
report-unrecognised-effect-fulfillment-type = orders fulfilled by TikTok may be counted in SFCR.
skipped-bad-order-id = { $file } line { $line }: Order ID "{ $value }" is not an order ID
skipped-bad-paid-time = { $file } line { $line }: Paid Time "{ $value }" is not a date (the file has no Created Time, so the paid time dates the order)
skipped-undatable = { $file } line { $line }: no Paid Time, and the file has no Created Time, so the order has no date
import-error-field-too-large = { $file }: a field on line { $line } is longer than { $limit } characters, far more than any export column holds, so the file was not read. Export it again without editing it.
import-error-excel-ids = { $file }: Order ID on line { $line } is "{ $value }": Excel turned the order IDs into rounded numbers, so orders cannot be told apart and nothing was counted. Send the file exactly as Seller Center exported it, or open it in Excel with the Order ID column set to Text.
import-error-excel-ids-rounded = { $file }: the order IDs end in zeros (for example { $value }): Excel rounded them to 15 digits, so orders cannot be told apart and nothing was counted. Send the file exactly as Seller Center exported it, or open it in Excel with the Order ID column set to Text.
import-error-no-order-times = { $file } has no order times (no Created Time or Paid Time column). The bot keeps orders by day, so it cannot use this file: export "All orders" again with its time columns.
import-error-no-order-times-window = { $file } has no order times (no Created Time or Paid Time column), so it can only be reported as a whole: leave out --window, --from and --to.

## Big shops: imports taking turns, rollups
bot-import-queued = ⏳ { $file }: queued, { $ahead ->
    [one] 1 file
   *[other] { $ahead } files
} ahead. It will be read in its turn.
bot-file-not-handed-out = ❌ Telegram would not hand { $file } over to the bot. On Telegram's own servers bots can fetch files up to 20 MB: export a shorter date range and send it again.

## Exports read more carefully: day order, amounts, what a gap does to each rate
report-day-order-assumed = ⚠️ { $files }: every date reads both ways (day and month both 12 or less), so they were read { $order ->
    [mdy] month first (M/D/YYYY)
   *[dmy] day first (D/M/YYYY)
  } as the shop's time zone { $timeZone } writes them. If that is wrong, set the shop's time zone or send a file covering more days.
import-error-ambiguous-dates = { $file }: every date reads both ways (day and month both 12 or less) and no shop time zone says which comes first, so nothing was counted. Set the time zone (for example --tz America/New_York) or send a file covering more days.
report-missing-order-amount = ⚠️ No Order Amount column: the amount lost to cancellations is not known.
report-unrecognised-effect-order-amount = these amounts are not in the amount lost.
report-missing-why-no-cancel-rate = ⚠️ This export has no { $columns } { $count ->
    [one] column
   *[other] columns
  }: seller-fault rate, who cancelled and reasons are not available. With no Paid Time either, orders that expired unpaid cannot be told from cancellations, so there is no cancel rate.
seller-fault-at-least = ⚠️ SFCR is at least { $rate }: values above that the bot does not know may hide seller-fault cancellations, so it is not confirmed within the { $threshold } line.

## Products: cancellations per product and SKU
command-products = Cancellations per product: /products [window] [shop]
products-title = Products by seller-fault cancellations
products-line = { $rank }. { $name }
products-figures = {"   "}seller fault { $sellerFault } of { $sellerFaultOrders } ({ $sellerFaultRate }) · cancelled { $cancelled } of { $orders } ({ $cancelRate })
products-partial = {" "}· partly cancelled in { $count }
products-main-reason = {" "}· mainly { $reason }
products-no-rate = no rate under { $min } orders
products-more = …and { $count } more products with orders in this window.
products-min-note = An order counts once for each product in it. Rates only for products with at least { $min } orders in the window (FBT and sample orders are left out of the seller-fault figures).
products-none = These orders carry no product lines: upload an "All orders" export with its SKU ID, Seller SKU or Product Name columns, or link the shop.
products-no-orders = No paid orders with product lines in this window.
products-unnamed = (product not named)
products-chart-title = Cancellations by product
products-chart-seller-fault = Seller-fault cancelled
products-chart-other = Other cancelled
products-chart-partial = Partly cancelled
products-chart-caption = Top products by cancellations, { $from } – { $to }
report-products-title = Top products by seller-fault cancellations
report-product-line = • { $name }: { $cancelled } of { $orders } cancelled for seller fault, mainly { $reason }
summary-product = {"  "}Driven by { $name }: { $count } of { $total } seller-fault cancels ({ $reason }).
cli-error-bad-by = --by "{ $value }" is not a breakdown. Use --by product.
cli-error-bad-min-orders = --min-orders "{ $value }" is not a whole number of at least 1.
strategy-product-out_of_stock = { $name }: { $count } of { $total } seller-fault cancels were out of stock. Set it sold out or raise its safety stock.
strategy-product-pricing_error = { $name }: { $count } of { $total } seller-fault cancels were pricing errors. Check its price and promotions before the next campaign.
strategy-product-late_fulfilment = { $name }: { $count } of { $total } seller-fault cancels were late shipping. Lengthen its handling time or keep it in stock where you ship from.
strategy-product-delivery_failure = { $name }: { $count } of { $total } seller-fault cancels were failed deliveries. Check its packaging and the carrier that takes it.
strategy-product-risk_control = { $name }: { $count } of { $total } seller-fault cancels were risk-control blocks. Review its listing against TikTok's policies.
strategy-product-other = { $name }: { $count } of { $total } seller-fault cancels gave no listed reason. Look at what goes wrong with this product's orders.
config-product-min-orders = { $name } must be a whole number of orders from 1 to 100000.
## Running in production
bot-import-no-space = ❌ { $file } was not imported: the bot's server has no disk space left for it right now. Nothing was stored. Please send it again later; the operator has been told.
bot-upload-not-imported = ⚠️ { $file } was not imported: the bot was restarted while reading it, and nothing of it was stored. Please send it again.
bot-upload-stored-unanswered = ✅ { $file } was imported, but the bot was restarted before it could answer. /rate shows its orders.
bot-import-chat-full = ❌ { $file } was not imported: with it, this chat would keep more than { $cap } orders, the most this bot keeps for one chat. Nothing was stored. /forget clears this chat's orders; the bot's operator can raise the limit.
config-seconds = { $name } must be a whole number of seconds from 1 to 600.
config-count = { $name } must be a whole number from 1 to 100.
config-proxy = { $name } must be an http:// or https:// proxy address, such as http://127.0.0.1:3128 (SOCKS proxies are not supported).
report-unknown-reasons = ❓ Reasons the bot does not know: { $values }. Paid orders cancelled for them count under Other.
report-unknown-reason-value = '{ $value }' ×{ $count }
report-uncertain-cod = { $count ->
    [one] 1 COD order cancelled for a reason the bot does not know: { $values }; not counted
   *[other] { $count } COD orders cancelled for a reason the bot does not know: { $values }; not counted
  }

## Group platforms (Feishu, DingTalk, WeCom): one conversation, mentioned in the group
chat-help =
    <b>cancelwatch</b> — cancellation rates for TikTok Shop sellers
    In a group, @mention me with a command, with or without the slash: @cancelwatch rate 7d

    rate [window] [shop] — the report; window: 7d (default), 30d, today, yesterday or 2026-11-01..2026-11-07
    products [window] [shop] — which products and SKUs the cancellations come from, with a picture
    import [shop] — then send me the order export (CSV or XLSX) in a private chat within 30 minutes
    shops — shops and the data the bot has
    daily 09:00 [Area/City] — a summary every morning at that time; daily off to stop
    lang zh|en — language of the group
    tz Area/City — your shop's time zone (e.g. America/Los_Angeles)
    threshold 2.5 — seller-fault alert line in %
    reason "text" category — teach the bot a cancel reason it lists as unknown; reason list
    admins — who may change settings; admins add @name, admins remove @name

    Anyone may ask for reports and upload; only the group's admins change settings.
chat-mention-hint = Mention me with a command, e.g. @cancelwatch rate 7d. "help" lists them all.
chat-import-privately = { $name }, send me the order export (CSV or XLSX) in a private chat within { $minutes } minutes: it will be imported into shop { $shop } of this group.
chat-import-send-file = Send me the order export (CSV or XLSX) here.
chat-import-private-received = Got it: { $file } goes to { $group } (shop { $shop }). The answer is posted in the group.
chat-import-private-by = { $name } sent { $file } privately for shop { $shop }:
chat-import-which-group =
    Which group is { $file } for? Answer with its number within { $minutes } minutes:
    { $groups }
    0. None: keep it here, in this private chat
chat-import-group-line = { $number }. { $title }
chat-import-nothing-waiting = No file is waiting for a group. Send the export first, or say "import" in the group, then send it here.
chat-import-bad-number = There is no group { $value } in the list. Answer with one of its numbers.
chat-untitled-group = (a group)
chat-admins-title = Admins of this group:
chat-admins-platform = The group's owner and managers are admins too.
chat-admins-none = This group has no admins set yet: the first person to change a setting becomes its admin.
chat-admins-line = • { $name }
chat-admins-usage = admins — list; admins add @name; admins remove @name (admins only)
chat-admins-added = Added as admins: { $names }.
chat-admins-removed = Removed from the admins: { $names }.
chat-admins-last = A group keeps at least one admin: { $names } stayed.
chat-admins-first = { $name } set this group up and is now its admin. Add others with: admins add @name
chat-report-details = All reasons, products and strategies
chat-unavailable = { $command } works in Telegram only for now.
chat-file-not-fetched = ❌ { $file } could not be fetched from the chat platform. Please send it again.
config-feishu-app-id = FEISHU_APP_ID must be a Feishu app id (cli_ followed by letters and digits), from the app's Credentials page.
config-secret = { $name } must be 8 to 256 characters.
config-feishu-domain = FEISHU_DOMAIN must be feishu, lark, or an http(s) address of the open platform.
config-feishu-events = FEISHU_EVENTS must be ws (long connection, the default) or http (events posted to /feishu/events).
config-platform-incomplete = { $name } is required too: a chat platform's settings are set all together or not at all.
config-feishu-http-token = FEISHU_VERIFICATION_TOKEN is required with FEISHU_EVENTS=http, so that only Feishu can post events.
config-operator-admins = OPERATOR_ADMINS must be a comma-separated list of platform:id (e.g. feishu:ou_123, telegram:12345).
demo-feishu-intro = — The same bot in a Feishu group (a local fake Feishu open platform): commands are @-mentions, answers are cards. —
demo-feishu-person = 👤 { $name }: @cancelwatch { $text }
config-dingtalk-client-id = DINGTALK_CLIENT_ID must be the app's ClientID (AppKey): letters, digits, _ or -.
config-dingtalk-events = DINGTALK_EVENTS must be stream (the SDK's stream, the default) or http (callbacks posted to /dingtalk/events).
config-wecom-bot-id = WECOM_BOT_ID must be the smart bot's Bot ID (letters, digits, _ or -), from its page in the WeCom admin console.
config-wecom-ws-url = WECOM_WS_URL must be a ws:// or wss:// address, such as wss://openws.work.weixin.qq.com.
