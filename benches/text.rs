//! Words for synthetic complaints: names, products and what customers say, in Chinese
//! and English, in the proportions of the sample workspace (about two thirds Chinese).

pub const SURNAMES: &[&str] = &[
    "王", "李", "張", "劉", "陳", "楊", "趙", "黃", "周", "吳", "徐", "孫", "胡", "朱", "高", "林", "何", "郭", "馬",
    "羅", "梁", "宋", "鄭", "謝", "韓", "唐", "馮", "于", "董", "蕭", "程", "曹", "袁", "鄧", "許", "傅", "沈", "曾",
    "彭", "呂",
];

pub const TITLES: &[&str] = &["先生", "女士", "小姐", "太太", "阿姨", "師傅"];

pub const GIVEN_NAMES: &[&str] = &[
    "偉", "芳", "娜", "敏", "靜", "麗", "強", "磊", "軍", "洋", "勇", "艷", "傑", "娟", "濤", "明", "超", "秀英", "霞",
    "平",
];

pub const ENGLISH_FIRST: &[&str] = &[
    "Ann", "Mark", "Sarah", "David", "Emily", "James", "Olivia", "Tom", "Grace", "Kevin", "Lucy", "Peter", "Helen",
    "Jason", "Amy", "Chris", "Linda", "Eric", "Nina", "Sam",
];

pub const ENGLISH_LAST: &[&str] = &[
    "Lee", "Brown", "Chen", "Wong", "Zhang", "Liu", "Park", "Baker", "Ho", "Ng", "Tan", "Smith", "Lam", "Yip", "Khan",
    "Garcia", "Müller", "Rossi", "Silva", "Kim",
];

pub const ACTORS: &[&str] = &["客服專員", "客服專員", "客服專員", "客服專員", "林曉雯", "Amy Lin"];

/// A category key, the department that usually resolves it, products, and what
/// customers say about it (Chinese, then English).
pub struct Topic {
    pub category: &'static str,
    pub department: &'static str,
    pub products: &'static [&'static str],
    pub zh: &'static [&'static str],
    pub en: &'static [&'static str],
}

pub const TOPICS: &[Topic] = &[
    Topic {
        category: "quality",
        department: "service",
        products: &[
            "燒餅禮盒",
            "電烤箱 KX-200",
            "電熱水壺 H1",
            "Kettle K2",
            "Bluetooth speaker S5",
            "電飯煲 R3",
            "吹風機 D9",
            "Air fryer F4",
            "保溫杯 500ml",
            "Blender B7",
        ],
        zh: &[
            "燒餅烙糊了,整盒都有焦味",
            "烤箱第二次使用就冒煙",
            "熱水壺開關失靈",
            "熱水壺底座生鏽",
            "烤箱溫控不準,麵包烤焦",
            "燒餅裡有頭髮",
            "電飯煲內膽塗層脫落",
            "吹風機用了三天就不出熱風",
            "保溫杯不保溫,半小時就涼了",
            "包裝破損,商品有裂痕",
        ],
        en: &[
            "Kettle leaks from the base after a week",
            "Speaker crackles at high volume",
            "Air fryer basket coating peels off",
            "Blender motor smells burnt after first use",
            "Lid hinge broke on the second day",
        ],
    },
    Topic {
        category: "attitude",
        department: "admin",
        products: &[],
        zh: &[
            "店員態度冷淡,問了三次沒人理",
            "客服回覆用語不禮貌",
            "收銀員當眾嘲笑顧客",
            "保安態度粗暴,不讓推嬰兒車進店",
            "要求經理當面道歉並免單",
        ],
        en: &[
            "Staff ignored me for twenty minutes",
            "The phone agent hung up on me",
            "Sales clerk was rude about my return",
        ],
    },
    Topic {
        category: "price",
        department: "finance",
        products: &["會員卡", "Gift card", "燒餅禮盒", "電烤箱 KX-200"],
        zh: &[
            "會員折扣沒有生效,多收了 35 元",
            "價格標籤和收銀價格不一致",
            "發票開錯抬頭",
            "直播間承諾的贈品沒有收到",
            "說我們的價格比網上貴就是欺詐",
            "同一訂單被扣款兩次",
        ],
        en: &[
            "Was charged twice for one order",
            "Shelf price differs from the till price",
            "Promised discount was not applied",
        ],
    },
    Topic {
        category: "communication",
        department: "admin",
        products: &[],
        zh: &[
            "客服電話一直打不通",
            "促銷活動規則說明不清",
            "答應回電但一直沒有回電",
            "短信通知內容與實際不符",
        ],
        en: &[
            "Newsletter kept coming after unsubscribing",
            "Nobody answered my three emails",
            "Promised call-back never came",
        ],
    },
    Topic {
        category: "delivery",
        department: "sales",
        products: &["Order tracking", "燒餅禮盒", "電烤箱 KX-200", "Air fryer F4"],
        zh: &[
            "送貨員把貨放在門口被雨淋濕",
            "雙十一訂單延遲一周發貨",
            "送貨時間改了三次",
            "快遞顯示已簽收但沒收到貨",
            "送錯了顏色",
        ],
        en: &[
            "Parcel shown delivered but never arrived",
            "Delivery came a week late",
            "Courier left the box with a neighbour",
        ],
    },
    Topic {
        category: "returns",
        department: "sales",
        products: &["電熱水壺 H1", "吹風機 D9", "Kettle K2", "保溫杯 500ml"],
        zh: &[
            "退貨款兩周還沒到賬",
            "換貨後的新品又有刮痕",
            "退貨需要本人到店太麻煩",
            "要求退回已使用三個月的商品",
        ],
        en: &[
            "Refund still missing after two weeks",
            "Exchange item has the same scratch",
            "Shop refused a return within 7 days",
        ],
    },
    Topic {
        category: "after_sales",
        department: "service",
        products: &[
            "電熱水壺 H1",
            "電烤箱 KX-200",
            "Bluetooth speaker S5",
            "電飯煲 R3",
            "Blender B7",
        ],
        zh: &[
            "經銷商說保修要另外收費",
            "預約維修師傅沒來",
            "售後維修費用比報價高",
            "維修後一周又壞了",
        ],
        en: &[
            "Speaker stopped charging, shop refused repair",
            "Replacement speaker has the same fault",
            "Repair took a month and it still fails",
        ],
    },
    Topic {
        category: "system",
        department: "marketing",
        products: &["會員系統", "網上商城", "App", "Gift card"],
        zh: &[
            "App 積分兌換一直報錯",
            "優惠券無法疊加使用",
            "網上商城付款後訂單消失",
            "會員積分被清零",
        ],
        en: &[
            "Gift card balance disappeared",
            "Website checkout keeps timing out",
            "App shows my order twice",
        ],
    },
    Topic {
        category: "other",
        department: "admin",
        products: &[],
        zh: &["門店排隊太久", "停車場收費不合理", "店內太吵,廣播聲音太大"],
        en: &[
            "Queue at the shop was far too long",
            "Parking fee at the shop is unreasonable",
        ],
    },
];

pub const DETAILS_ZH: &[&str] = &[
    "客戶來電情緒激動,要求今天內給答覆。",
    "客戶已提供照片和購物小票。",
    "第二次反映同一問題,上次沒有人跟進。",
    "客戶表示如果不解決將向消費者協會投訴。",
    "客戶希望上門處理,工作日晚上六點後方便。",
];

pub const DETAILS_EN: &[&str] = &[
    "Customer sent photos and the receipt.",
    "Second time this customer reports the same problem.",
    "Customer asks for an answer by tomorrow.",
    "Customer is travelling; prefers email.",
];

pub const DEPT_REPLIES: &[&str] = &[
    "已聯繫客戶,正在安排處理",
    "已安排師傅上門檢測",
    "已核實訂單,財務正在處理退款",
    "Called the customer, a replacement is on its way",
    "已向供應商反映,等待檢測結果",
];

pub const CUSTOMER_REPLIES: &[&str] = &[
    "已告知客戶處理方案與時間",
    "已向客戶致歉,說明處理進度",
    "Explained the plan and the timing to the customer",
    "已電話回訪,客戶同意方案",
];

pub const PROMISES: &[&str] = &[
    "答應客戶明天回電告知檢測結果",
    "Promised to call back with the lab result",
];

pub const RESOLUTIONS: &[&str] = &[
    "已處理完畢,客戶確認",
    "已換新,客戶滿意",
    "退款已到賬,客戶確認",
    "Replaced the unit; customer satisfied",
    "延遲處理後解決,客戶接受",
];

pub const REJECT_REASONS: &[&str] = &[
    "經核實不屬於本店銷售或服務範圍,已向客戶說明",
    "商品已過保修期且為人為損壞,已向客戶解釋",
    "Bought at another shop; explained to the customer",
];

pub const DEFER_REASONS: &[&str] = &[
    "需等待廠家檢測報告,短期內無法關閉",
    "客戶堅持訴訟解決,等待法院結果",
    "Waiting for the manufacturer's lab report",
];

pub const REOPEN_REASONS: &[&str] = &["客戶來電:問題再次出現", "Customer called back: the fault is back"];
