//! Format eras and their label signatures (format-spec §0). The era is read from the labels a
//! report prints, never from its year alone: agencies reuse old templates.

use serde::Serialize;

/// The three format eras of the annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Era {
    /// 2021 standard format (国办公开办函〔2021〕30号), reports for 2021 onward.
    #[serde(rename = "std_2021")]
    Std2021,
    /// 2019 trial format (国办公开办函〔2019〕60号), reports for 2019 and 2020.
    #[serde(rename = "trial_2019")]
    Trial2019,
    /// Free-form reports 2008–2018.
    #[serde(rename = "legacy_2008")]
    Legacy2008,
}

impl Era {
    pub fn id(self) -> &'static str {
        match self {
            Era::Std2021 => "std_2021",
            Era::Trial2019 => "trial_2019",
            Era::Legacy2008 => "legacy_2008",
        }
    }

    /// The era as the briefing names it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Era::Std2021 => "2021 年格式",
            Era::Trial2019 => "2019 年格式",
            Era::Legacy2008 => "2008 年以来旧式",
        }
    }

    pub fn from_id(id: &str) -> Option<Era> {
        [Era::Std2021, Era::Trial2019, Era::Legacy2008].into_iter().find(|e| e.id() == id)
    }
}

/// Label signatures: (era, label as printed). Matched against the report text with all
/// whitespace removed, so labels split by line breaks or spaces still count.
pub const SIGNATURES: &[(Era, &str)] = &[
    (Era::Std2021, "本年制发件数"),
    (Era::Std2021, "本年废止件数"),
    (Era::Std2021, "现行有效件数"),
    (Era::Std2021, "申请人无正当理由逾期不补正"),
    (Era::Std2021, "本年收费金额"),
    (Era::Trial2019, "本年新制作数量"),
    (Era::Trial2019, "本年新公开数量"),
    (Era::Trial2019, "对外公开总数量"),
    (Era::Trial2019, "上一年项目数量"),
    (Era::Trial2019, "第二十条第（九）项"),
    (Era::Trial2019, "政府集中采购"),
    (Era::Legacy2008, "同意公开答复数"),
    (Era::Legacy2008, "同意部分公开答复数"),
    (Era::Legacy2008, "否决公开答复"),
    (Era::Legacy2008, "申请总数"),
    (Era::Legacy2008, "主动公开信息数"),
    (Era::Legacy2008, "收费及减免"),
];

/// Signatures of either 2019+ era (the applicant header of section 三).
pub const MODERN_SIGNATURES: &[&str] = &["申请人情况", "自然人", "法人或其他组织"];
