# The command line in Traditional Chinese: every command's --help and the usage errors
# (src/output/help.rs explains the keys). English is the doc comments of src/cli.rs.
# Simplified Chinese is made from this file. A line may not begin with "[", "*" or ".",
# and braces are written {"{"} and {"}"}.

## Headings and clap's own words

help-usage = 用法：
help-heading-commands = 命令
help-heading-arguments = 參數
help-heading-options = 選項
help-heading-global = 全域選項
help-value-command = 命令
help-value-options = [選項]
help-flag-help = 顯示說明（-h 簡短，--help 完整）
help-flag-version = 顯示版本
help-help = 顯示 kefu 或某個命令的說明
help-note-values = [可用：{ $values }]
help-note-default = [預設：{ $value }]
help-note-env = [環境變數：{ $name }]

## Usage errors (exit 2)

usage-unknown-argument = 沒有 { $arg } 這個選項
usage-unknown-command = 沒有 { $command } 這個命令
usage-missing-value = { $arg } 後面要接一個值
usage-invalid-value = { $arg } 不接受「{ $value }」
usage-invalid-choice = { $arg } 不接受「{ $value }」，可用：{ $valid }
usage-not-a-number = 應為一個整數
usage-because = ：{ $reason }
usage-missing-required = 缺少 { $arg }
usage-missing-command = 缺少命令：kefu --help 列出所有命令
usage-conflict = { $arg } 不能和 { $other } 一起用
usage-no-equals = { $arg } 的值要用「=」接上
usage-value-count = { $arg } 的值個數不對
usage-not-utf8 = 命令列含有不是 UTF-8 的字元
usage-other = 命令列有誤：kefu --help 說明用法
usage-did-you-mean = （是不是 { $suggestion }？）

## Time forms, shown after the help of every command with a time flag

help-times =
    時間以本店的時區解讀，可寫成下列任一種：
      2026-11-24 14:00      2026/11/24 14:00      2026/11/24（只寫日期即 00:00）
      2026年11月24日 14:00   2026年11月24日
      11/24 14:00   11/24   11月24日（不寫年份：不晚於現在的最近一天；
                                     --promise 則取下一個）
      今天  明天  後天  昨天（也可寫 后天），可單獨寫或加上時間：明天 14:00
      `today`  `tomorrow`  `yesterday`，可單獨寫或加上時間：`tomorrow 9:30`
      +2h  +3d  -30m（從現在起算）
      2026-11-24T14:00:00+08:00（RFC 3339）

## Placeholders of values (<時間>)

help-value-dir = 資料夾
help-value-time = 時間
help-value-name = 名字
help-value-when = 何時
help-value-lang = 語言
help-value-s = 站別
help-value-contact = 聯繫方式
help-value-channel = 渠道
help-value-summary = 摘要
help-value-details = 詳情
help-value-product = 產品
help-value-order = 訂單
help-value-request = 要求
help-value-source-ref = 來源編號
help-value-category = 類別
help-value-level = 級別
help-value-department = 部門
help-value-follow-up = 跟蹤方式
help-value-id = 編號
help-value-to = 部門
help-value-note = 備註
help-value-file = 檔案
help-value-text = 內容
help-value-group-key = 組.鍵
help-value-dept-customer-service = 部門|customer-service
help-value-resolution = 處理結果
help-value-remedy = 補救
help-value-satisfaction = 滿意度
help-value-dept = 部門
help-value-reason = 原因
help-value-week = 週
help-value-n = 數量
help-value-format = 格式
help-value-encoding = 編碼
help-value-status = 狀態
help-value-customer = 客戶
help-value-duration = 時長
help-value-date = 日期
help-value-shell = 殼層
help-value-pid = 處罰編號
help-value-station = 站別
help-value-base = 共同版本
help-value-ours = 我方版本
help-value-theirs = 對方版本
help-value-path = 路徑
help-value-state = 狀態

## kefu and its global options

help-kefu = kefu（客服）：客戶抱怨的案件追蹤工具，每件案件一個 TOML 檔，保存在 git 中。
help-kefu-long =
    { help-kefu }

    依照《客戶抱怨處理辦法》：受理、分類、依時限移交部門、回復、回訪客戶確認
    結案、逾期升級與處罰，以及每周匯總。

    時間（--at、--received-at、--promise、--since 等）以本店的時區解讀：
      2026-11-24 14:00   2026/11/24 14:00   2026/11/24（只寫日期即 00:00）
      2026年11月24日 14:00   11/24 14:00   11月24日（不寫年份：不晚於現在的最近
      一天；--promise 則取下一個）   今天 / 明天 / 後天 / 昨天（也可寫 后天）或
      `today` / `tomorrow` / `yesterday`，都可再加上時間，例如 14:00
      +2h  +3d  -30m（從現在起算）   2026-11-24T14:00:00+08:00
    --now 與 KEFU_NOW 只接受絕對時間。

    範例：
      kefu init shop && cd shop
      id=$(kefu intake --name 王先生 --contact 13800000000 --channel phone \
        --summary 燒餅烙糊了)
      kefu classify "$id" --category quality --level general --department service
help-kefu--root = 工作區資料夾（內有 config/kefu.toml）；預設：目前資料夾或其上層最近的一個
help-kefu--json = 在標準輸出印出給程式讀的 JSON（錯誤訊息仍印在標準錯誤輸出）
help-kefu--now = 時鐘：當作現在是這個絕對時間（RFC 3339，或本店時區的 "2026-11-23 10:15"），供腳本與測試使用
help-kefu--actor = 經辦人；預設：設定檔中的客服人員
help-kefu--no-commit = 不把這次變更提交到 git
help-kefu--color = 逾期的列標紅色、24 小時內到期的列標黃色：`auto`（在終端機上，除非設了 NO_COLOR；CLICOLOR_FORCE 強制上色）、`always` 或 `never`
help-kefu--lang = 訊息、狀態、標題與報表的語言：`zh-Hant`、`zh-Hans` 或 `en`（預設：設定檔的 `[ui] language`）。JSON 在各種語言下都相同
help-kefu--wide = 表格依內容全寬顯示：不為配合終端機寬度（COLUMNS）而截斷

## init

help-init =
    建立工作區：config/kefu.toml（預設設定，附說明）、cases/，以及工作區自己的
    git 倉庫（即使位於另一個倉庫之中），並提交為稽核紀錄的第一筆。
    <資料夾> 必須是空的或新的。
help-init-long =
    { help-init }

    範例：kefu init shop
help-init--dir = 要建立在哪裡（預設：目前資料夾）
help-init--no-git = 不建立 git 倉庫（工作區就不會留下稽核紀錄）
help-init--station = 這個複本的站別（1 至 3 個小寫英文字母），與 `kefu station` 設定的相同

## intake

help-intake = 記錄一件新的抱怨，並印出其編號（單獨一行，印在標準輸出）。
help-intake-long =
    { help-intake }

    --name、--channel 與 --summary 為必填：在終端機上缺少時會詢問；在腳本中缺少
    則是錯誤。--received-at 預設為現在。

    範例：
      kefu intake --name 王先生 --contact 13800000000 --channel phone \
        --summary 燒餅烙糊了 --request refund \
        --category quality --level general --department service
help-intake-after = { help-times }
help-intake--name = 客戶姓名
help-intake--contact = 回電用的電話、電子郵件或地址
help-intake--channel = 抱怨經由哪個渠道到店：設定檔中渠道的代碼或名稱
help-intake--summary = 發生了什麼事，一行寫完
help-intake--details = 完整經過
help-intake--product = 相關的產品
help-intake--order = 訂單或收據號碼
help-intake--request = 客戶的要求：設定檔中要求的代碼或名稱（`refund`、`exchange`、`repair`、`discount`、`compensation`、`apology`、`explanation`、`other`）
help-intake--received-at = 受理抱怨的時間，例如 "2026/11/23 9:00"、"昨天 18:00" 或 "11月23日 9:00"
help-intake--source-ref = 這件抱怨在其他系統中的編號（匯入時用來略過重複）
help-intake--category = 類別的代碼或名稱（例如 `quality`、產品質量）
help-intake--level = 級別：`general`、`moderate`、`severe` 或 `irrational`（也可寫 一般、中級、強烈、非理性，繁簡皆可）
help-intake--department = 必須解決此事的部門（代碼或名稱）
help-intake--follow-up = 非理性抱怨的跟蹤方式：`watch`（關注）或 `monitor`（監控）
help-intake--external = 客戶已將事情鬧到店外（媒體、政府）：屬於投訴
help-intake--no-external = 取消投訴標記（原先標錯了）

## classify

help-classify = 設定（或變更）案件的類別、級別與部門，並計算各項期限。
help-classify-long =
    { help-classify }

    範例：kefu classify 001 --category quality --level general --department service
help-classify--id = 案件編號，或其唯一的結尾
help-classify--category = { help-intake--category }
help-classify--level = { help-intake--level }
help-classify--department = { help-intake--department }
help-classify--follow-up = { help-intake--follow-up }
help-classify--external = { help-intake--external }
help-classify--no-external = { help-intake--no-external }

## handoff

help-handoff = 把案件移交給部門，並印出《客戶抱怨處理書》。
help-handoff-long =
    { help-handoff }

    範例：kefu handoff 001 --to service --note "請在下午 6 點前回電"
help-handoff--to = 部門（代碼或名稱）
help-handoff--note = 給部門的備註
help-handoff--reassign = 移交給分類時以外的部門，先記錄部門變更（級別與期限不變）
help-handoff--form = 把處理書以 Markdown 寫入檔案，而不印出。檔案必須尚不存在（見 --force），且不可位於工作區的 cases/、config/、.kefu/ 或 .git/ 之中
help-handoff--html = 把處理書寫成可列印的網頁（單一自足的 HTML 檔，A4）
help-handoff--force = 檔案已存在時取代它（絕不經由符號連結寫入）

## ack

help-ack = 記錄部門接收人已簽收移交。
help-ack-long =
    { help-ack }

    範例：
      kefu ack 001 --by 李站長 --at "2026-11-23 11:00"
      kefu ack 001 --at "今天 9:30"
help-ack-after = { help-times }
help-ack--at = 簽收時間（預設：現在），例如 "2026/11/24 9:30"、"今天 9:30" 或 -30m
help-ack--by = 簽收人（預設：部門的接收人）

## reply

help-reply = 記錄回復：部門的答覆，或客服對客戶的回復。
help-reply-long =
    { help-reply }

    範例：
      kefu reply 001 --from service --text "今天寄出換貨"
      kefu reply 001 --to-customer --text "我們會再回電" --promise "明天 14:00"
help-reply-after = { help-times }
help-reply--text = 回復內容（在終端機上缺少時會詢問）
help-reply--phrase = 以設定檔中的常用語回復（`kefu phrases` 可列出）
help-reply--from = 誰回復：某個部門，或 `customer-service`（客服中心，預設）
help-reply--to-customer = 這則回復是給客戶的
help-reply--written = 這是書面的處理方案（書面答覆，參考文件 002 §3.6）：只有它能達成書面答覆期限
help-reply--promise = 與客戶約定的回電時間（約定回話時間），例如 "明天 14:00"、12/26（下一個 12 月 26 日）、"2026/12/26 10:00" 或 +2h

## close

help-close =
    分兩步結案（辦法 7.4.1）：部門申請關閉，客服再回訪客戶（在 `[limits] confirm`
    時限內，12 小時）並核准。客戶滿意或接受，案件即以申請時間結案；不滿意則
    申請作廢，案件維持未結。兩步一起做：把申請的選項和 --satisfaction 一起給。
help-close-long =
    { help-close }

    範例：
      kefu close 001 --request --resolution "已更換烤箱" --remedy exchange
      kefu close 001 --satisfaction satisfied --approved-by 客服主管
      kefu close 001 --resolution "已更換烤箱" --remedy exchange \
        --satisfaction satisfied
help-close-after = { help-times }
help-close--request = 只記錄部門的關閉申請；之後再回訪客戶
help-close--resolution = 如何解決（與 --request 一起，或一步結案）
help-close--remedy = 客戶得到的處理（與 --request 一起，或一步結案）：`refund` 退款、`exchange` 換貨、`repair` 維修、`discount` 折扣、`compensation` 賠償、`apology` 道歉、`explanation` 解釋、`none` 無
help-close--satisfaction = 客戶在回訪時的答覆：`satisfied` 滿意、`accepted` 接受，或 `dissatisfied` 不滿意（案件維持未結）
help-close--from = 申請關閉的部門（與 --request 一起；預設：分類時的部門）
help-close--at = 申請關閉（與 --request 一起）或回訪客戶（確認）的時間；預設：現在
help-close--requested-at = 一步結案時，部門申請關閉的時間（預設：現在）
help-close--approved-by = 回訪時核准結案的人
help-close--cause = 根本原因，隨關閉申請或一步結案提供
help-close--countermeasure = 為避免再發生而採取的做法（改善對策）

## defer

help-defer =
    暫緩關閉一件短期內無法結案的案件：轉為二次非理性抱怨，由部門經理跟進。
help-defer-long =
    { help-defer }

    範例：kefu defer 001 --reason "等候廠商的檢驗報告" --follow-up monitor
help-defer--reason = 為何短期內無法結案（必填；在終端機上會詢問）
help-defer--follow-up = `watch`（關注）或 `monitor`（監控）（必填；在終端機上會列出選單）

## reject

help-reject = 抱怨不成立：結案，並記錄告知客戶的理由。
help-reject-long =
    { help-reject }

    範例：kefu reject 001 --reason "在別家店買的"
help-reject--reason = 理由（必填；在終端機上會詢問）

## reopen

help-reopen = 客戶又來了：重新開啟已結案或不成立的案件（歷史紀錄保留）。
help-reopen-long =
    { help-reopen }

    範例：kefu reopen 001 --reason "烤箱又烤焦了"
help-reopen--reason = { help-reject--reason }

## note

help-note = 為案件加註記：保存在其歷史中，不影響任何期限。
help-note-long =
    { help-note }

    範例：kefu note 001 --text "客戶希望下午 6 點後來電"
help-note--text = 註記內容（可多行）

## edit

help-edit =
    更正受理時記錄的內容（電話號碼打錯、渠道選錯），並註明原因。新舊值都保存
    在案件的歷史中；給空值即清除選填欄位。`--received-at` 會移動從受理起算的
    期限；一旦有期限已過，或受理之後已記錄任何事項，就不能再改；案件編號不變。
help-edit-long =
    { help-edit }

    範例：kefu edit 001 --contact 13800000001 --reason "電話號碼打錯"
help-edit-after = { help-times }
help-edit--name = { help-intake--name }
help-edit--contact = { help-intake--contact }
help-edit--channel = { help-intake--channel }
help-edit--summary = { help-intake--summary }
help-edit--details = { help-intake--details }
help-edit--product = { help-intake--product }
help-edit--order = { help-intake--order }
help-edit--request = { help-intake--request }
help-edit--received-at = { help-intake--received-at }
help-edit--reason = 為何更正紀錄（必填）

## sweep

help-sweep = 記錄所有已到期的升級與處罰（重複執行也不會重複記錄）。
help-sweep-long =
    { help-sweep }

    範例：kefu sweep

## friday

help-friday =
    每周匯總（每周五匯總）：受理、非理性抱怨、類別、部門、處罰通知單、
    重複抱怨。預設：上一個日曆週。
help-friday-long =
    { help-friday }

    範例：kefu friday --week 2026-W47 --markdown
help-friday-after = { help-times }
help-friday--week = ISO 週，例如 2026-W47
help-friday--from = 期間起點（日期或時間，含）
help-friday--to = 期間終點（不含）
help-friday--transactions = 本週的交易筆數，即抱怨率的分母
help-friday--no-sweep = 為報表計算到期的處罰，但不記錄
help-friday--markdown = 以 Markdown 輸出，可直接貼進郵件
help-friday--weeks = 加上最近 <數量> 週（含本週）的趨勢：受理、非理性比例、一次關閉率、處罰金額
help-friday--html = 寫成可列印的網頁（單一自足的 HTML 檔，A4），而不印出 Markdown
help-friday--force = 檔案已存在時取代它
help-friday--station = 只看在這個站別建立的案件（編號形如 20261124-b001）

## import

help-import =
    從 CSV、Excel 活頁簿（.xlsx）、JSON 陣列或每行一個 JSON 物件的檔案匯入
    抱怨；全部匯入，或一筆都不匯入。
help-import-long =
    { help-import }

    欄位（CSV 標題或 JSON 鍵）就是 `intake` 的選項名稱：`name`、`contact`、
    `channel`、`summary`、`details`、`product`、`order`、`request`、`received_at`、
    `source_ref`，以及選填的 `category`、`level`、`department`、`follow_up`、
    `external`；或其中文名稱（姓名、電話/聯繫方式、渠道、摘要/抱怨內容、詳情、
    產品、訂單、要求、受理時間、來源編號、類別、級別、部門、跟蹤方式、投訴）。
    值可用代碼或名稱。source_ref 已在工作區中的列會略過，所以同一個檔案再匯入
    一次不會建立新案件。

    範例：kefu import weekly.csv --dry-run
help-import--file = 檔案，或用 - 表示標準輸入
help-import--format = `csv`、`json`、`jsonl` 或 `xlsx`（預設：依副檔名判斷）
help-import--sheet = 要讀取的 Excel 工作表（預設：第一個）
help-import--encoding = `auto`（預設）、`utf-8`、`utf-16`、`gbk`（GB18030）或 `big5`。`auto` 先看位元組順序記號，再試 UTF-8，再從 GBK 與 Big5 中選出能順利讀取、且最符合欄位名稱與標籤的一種，並在標準錯誤輸出註明
help-import--dry-run = 只說明將會怎麼做；不寫入任何內容

## upgrade

help-upgrade =
    把月份資料夾出現前建立的工作區（cases/<id>.toml）移到 cases/YYYY/MM/<id>.toml，
    只含這些搬移的一次提交。在此之前，kefu 可讀取這種工作區，但不會記錄任何事項。
help-upgrade-long =
    { help-upgrade }

    範例：kefu upgrade

## letter

help-letter =
    給客戶的書面答覆（參考文件 002 §3.6），依 `[templates] letter` 範本填入案件
    的欄位。`--record` 會把它記錄為書面答覆（以書面給客戶的回復），達成 7 天的
    期限。
help-letter-long =
    { help-letter }

    範例：kefu letter 001 --html letter.html --record
help-letter--id = { help-classify--id }
help-letter--record = 把答覆函記錄為給客戶的書面答覆
help-letter--html = { help-friday--html }
help-letter--force = { help-friday--force }

## sync

help-sync = 與 git 遠端交換案件：擷取、合併、推送。
help-sync-long =
    { help-sync }

    案件檔經由 `kefu merge-file` 合併，所以兩位客服對同一案件所做的事會合在一起，
    不會留下衝突。需要站別（`kefu station b`）。若因他人同時推送而被遠端拒絕，
    會重新擷取後再試；離線時不做任何變更。

    範例：kefu sync --remote origin
help-sync--remote = 要同步的遠端（預設：目前分支的上游遠端，否則為 `origin`）

## list

help-list = 以表格列出案件（或 `--json`）。
help-list-long =
    { help-list }

    範例：kefu list --open --department service
help-list-after = { help-times }
help-list--status = 只列出此狀態的案件：`received`、`classified`、`handed_off`、`acknowledged`、`replied`、`close_requested`、`deferred`、`closed`、`rejected`，或其名稱（例如 已分類）
help-list--open = 只列出未結案件（含暫緩關閉的）
help-list--overdue = 只列出仍在等待、且已錯過期限的案件
help-list--since = 在此時間或日期當時或之後受理
help-list--until = 在此時間或日期之前受理
help-list--customer = 客戶姓名或聯繫方式含有這段文字
help-list--station = 只列出在這個站別建立的案件（編號形如 20261124-b001）；"" 表示沒有站別的編號

## show

help-show = 顯示一件案件：詳情、分類、期限的即時狀態與經過。
help-show-long =
    { help-show }

    範例：kefu show 1123-001
help-show--id = { help-classify--id }

## due

help-due = 客服的待辦：已錯過與即將到來的期限，最急的在前。
help-due-long =
    { help-due }

    範例：kefu due --within 48h
help-due--within = 往後看多久
help-due--station = { help-friday--station }

## export

help-export = 把案件匯出為每行一個 JSON 物件（`jsonl`）、CSV 或 Excel 活頁簿。
help-export-long =
    { help-export }

    範例：
      kefu export --format csv --open > open.csv
      kefu export --format xlsx --output cases.xlsx
help-export-after = { help-times }
help-export--format = `jsonl`（預設）、`csv` 或 `xlsx`（Excel 活頁簿，須搭配 --output；其儲存格都是文字，所以不會加上 --raw-cells 所說的 '）
help-export--output = 寫入檔案，而不印到標準輸出。檔案必須尚不存在（見 --force），且不可位於工作區的 cases/、config/、.kefu/ 或 .git/ 之中
help-export--force = { help-handoff--force }
help-export--raw-cells = CSV 儲存格完全照原樣輸出。預設會在以 = + - @、定位字元或歸位字元開頭的儲存格前加上 '，讓試算表把它當文字顯示，而不當成公式執行（kefu import 會再去掉這個 '）
help-export--skip-unreadable = 即使有案件檔無法讀取也以 0 結束（仍會在標準錯誤輸出列出）。不加此選項時，這種匯出以 3 結束：部分完成
help-export--status = { help-list--status }
help-export--open = { help-list--open }
help-export--overdue = { help-list--overdue }
help-export--since = { help-list--since }
help-export--until = { help-list--until }
help-export--customer = { help-list--customer }
help-export--station = { help-list--station }

## check

help-check = 檢查設定檔與每個案件檔；每個問題都註明檔案與行號。
help-check-long =
    { help-check }

    範例：kefu check

## log

help-log = 案件在 git 中的歷史：時間、作者、摘要。
help-log-long =
    { help-log }

    範例：kefu log 001
help-log--id = { help-classify--id }

## calendar

help-calendar =
    本店每天的營業時段，也就是以營業時間計的時限（`4bh`、`3bd`）所計算的時段：
    營業時間取自 `[calendar]`，假日休息，調休上班日照週一的營業時間營業。
help-calendar-long =
    { help-calendar }

    範例：kefu calendar --from 2027-02-01 --days 28
help-calendar-after = { help-times }
help-calendar--from = 從哪一天開始顯示（預設：今天）
help-calendar--days = 顯示幾天

## completions

help-completions = 印出某個殼層的自動補全腳本（不需要工作區）。
help-completions-long =
    { help-completions }

    範例：
      kefu completions bash > ~/.local/share/bash-completion/completions/kefu
      kefu completions zsh > ~/.zfunc/_kefu
      kefu completions fish > ~/.config/fish/completions/kefu.fish
help-completions--shell = 要產生補全腳本的殼層

## man

help-man =
    把說明手冊頁 kefu.1 與每個命令各一頁（kefu-intake.1 等）寫入資料夾
    （不需要工作區）。
help-man-long =
    { help-man }

    範例：kefu man ~/.local/share/man/man1
help-man--dir = 要寫入的資料夾（不存在時會建立）

## circular

help-circular =
    每週的《執行部門抱怨閉環處理處罰通報》（辦法 7.8）：該週開出並確定執行的
    處罰、該週撤銷的已兌現處罰的退還、各部門合計、簽發欄與分送名單
    （`[circular] to`）。預設：上一個日曆週。
help-circular-long =
    { help-circular }

    範例：kefu circular --week 2026-W47 --html circular.html
help-circular--week = ISO 週，例如 2026-W47
help-circular--html = { help-friday--html }
help-circular--force = { help-friday--force }

## notice

help-notice =
    一張開給部門的《客戶抱怨閉環處理處罰通知單》（每月罰款則為
    《客戶抱怨閉環處理罰款通知單》）。
help-notice-long =
    { help-notice }

    範例：kefu notice 20261123-001/P1 --html notice.html
help-notice--pid = 處罰編號，例如 20261123-001/P1
help-notice--html = { help-friday--html }
help-notice--force = { help-friday--force }

## receivers

help-receivers =
    接收人確認表《客戶抱怨移交接收人確認表》：各部門指定的接收人
    （取自設定檔的 [[departments]]），供簽名。
help-receivers-long =
    { help-receivers }

    範例：kefu receivers --html receivers.html
help-receivers--html = { help-friday--html }
help-receivers--force = { help-friday--force }

## phrases

help-phrases =
    設定檔 [phrases] 中的常用語句（參考文件 003），依組別列出；
    `kefu reply <編號> --phrase <組.鍵>` 可把其中一句記錄為回復。
help-phrases-long =
    { help-phrases }

    範例：kefu phrases

## station

help-station = 顯示或設定這個複本的站別，它會寫進此處建立的案件編號中。
help-station-long =
    { help-station }

    站別是 1 至 3 個小寫英文字母：在站別 b，編號形如 20261124-b001，這樣各複本就
    不會產生相同的編號。站別保存在倉庫自己的 git 設定中（`kefu.station`），不會
    推送；`KEFU_STATION` 優先於它。不在 git 中時，請改在 config/kefu.toml 設定
    `[shop] station`。

    範例：kefu station b
help-station--station = 要設定的站別；不給時印出目前的站別

## merge-file

help-merge-file = git 用來合併案件檔的合併驅動程式：把案件的兩個版本合併到「我方版本」。
help-merge-file-long =
    { help-merge-file }

    由 `kefu init`、`kefu station` 與 `kefu sync` 安裝。不需要工作區。以 1 結束
    （我方版本不變）時，衝突交由 git 處理。

    範例（寫在 .git/config 中）：
      driver = kefu merge-file %O %A %B %P
help-merge-file--base = 共同祖先的版本（可能是空的）
help-merge-file--ours = 我方的版本；合併後的案件寫在這裡
help-merge-file--theirs = 對方的版本
help-merge-file--path = 檔案在倉庫中的路徑，用於訊息

## penalty

help-penalty =
    處罰帳：列出處罰並記錄其過程，開出 → 確定或免除 → 兌現。處罰的名稱為
    `<案件編號>/P<n>`，即該案件的第 n 張處罰（與 `kefu show` 的編號相同）。
help-penalty-long =
    { help-penalty }

    範例：
      kefu penalty list --state issued
      kefu penalty confirm 20261123-001/P1 --by 總經理
help-penalty-confirm = 確定執行處罰：它們會列入通報。
help-penalty-confirm-long =
    { help-penalty-confirm }

    範例：kefu penalty confirm 20261123-001/P1 --by 總經理
help-penalty-confirm--pids = 處罰編號，例如 20261123-001/P1（案件編號寫唯一的結尾即可）
help-penalty-confirm--by = 決定的人（預設：經辦人）
help-penalty-waive = 免除處罰；必須註明原因。
help-penalty-waive-long =
    { help-penalty-waive }

    範例：kefu penalty waive 1123-001/P2 --reason "停電，非部門責任"
help-penalty-waive--reason = 為何免除處罰（在終端機上缺少時會詢問）
help-penalty-execute = 記錄已確定的處罰已經兌現（考核兌現，由財務部執行）。
help-penalty-execute-long =
    { help-penalty-execute }

    範例：kefu penalty execute 1123-001/P1 --by 財務部 --ref 2026-12-薪資
help-penalty-execute-after = { help-times }
help-penalty-execute--at = 兌現的時間（預設：現在）
help-penalty-execute--reference = 薪資或憑證的編號
help-penalty-list = 依開出時間排列的處罰及其狀態（或 `--json`）。
help-penalty-list-long =
    { help-penalty-list }

    範例：kefu penalty list --week 2026-W47 --state confirmed
help-penalty-list--state = 只列出此狀態的處罰：`issued`、`confirmed`、`waived`、`executed`、`cancelled`
help-penalty-list--week = 只列出在此 ISO 週開出的處罰（例如 2026-W47）
help-penalty-list--department = 只列出對此部門的處罰

## Arguments shared by several commands
help-handoff--id = { help-classify--id }
help-ack--id = { help-classify--id }
help-reply--id = { help-classify--id }
help-close--id = { help-classify--id }
help-defer--id = { help-classify--id }
help-reject--id = { help-classify--id }
help-reopen--id = { help-classify--id }
help-note--id = { help-classify--id }
help-edit--id = { help-classify--id }
help-list--level = 只列出此等級的案件（代碼或名稱）
help-list--category = 只列出此類別的案件（代碼或名稱）
help-list--department = 只列出此部門的案件（代碼或名稱）
help-export--level = { help-list--level }
help-export--category = { help-list--category }
help-export--department = { help-list--department }
help-penalty-waive--pids = { help-penalty-confirm--pids }
help-penalty-waive--by = { help-penalty-confirm--by }
help-penalty-execute--pids = { help-penalty-confirm--pids }
help-penalty-execute--by = 執行的人（預設：經辦人）
