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

## Import errors
import-error-empty = { $file } is empty.
import-error-no-data = { $file } has a header but no orders.
import-error-not-a-table = { $file } is not a CSV or XLSX order export. Export "All orders" from Seller Center as CSV or XLSX.
import-error-legacy-xls = { $file } is an old Excel .xls file. Save it as .xlsx or .csv and send it again.
import-error-xlsx-damaged = { $file } is damaged or incomplete (the upload may have been cut off). Export it again.
import-error-xlsx-too-large = { $file } expands to more than { $limitMb } MB when unpacked, so it was not read. Export a shorter period.
import-error-other-platform = { $file } looks like a { $platform } export. Supported: TikTok Shop.
import-error-no-header = { $file } has no TikTok Shop header row (Order ID, Order Status, Created Time…). Export "All orders" from Seller Center.
import-error-missing-columns = { $file } is missing { $count ->
    [one] the column
   *[other] the columns
  } { $columns }.
import-error-too-many-bad-rows = { $file }: { $bad } of { $rows } rows could not be read, too many to trust the figures. Nothing was imported. First problems:
import-error-mixed-date-styles = { $file } mixes day-first and month-first dates (lines { $line1 } and { $line2 }). Export the file again without editing it.
import-error-encoding = { $file } is not readable text in UTF-8 or GB18030. Export it again from Seller Center.
import-error-unterminated-quote = { $file }: a quote opened on line { $line } is never closed, so the rest of the file cannot be read. Export it again without editing it.

## Command line
cli-usage =
    Usage: cancelwatch report FILE… [--window 7d|30d|today|yesterday|YYYY-MM-DD..YYYY-MM-DD]
                                   [--from YYYY-MM-DD --to YYYY-MM-DD] [--tz Area/City] [--lang zh|en] [--json]
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
