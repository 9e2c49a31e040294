use anyhow::{Result, bail};

use crate::Ctx;
use crate::cli::{ClassFlags, ClassifyArgs};
use crate::domain::case::Classification;
use crate::domain::config::{Config, Level};
use crate::domain::rules::{self, Classify};

pub fn run(ctx: &Ctx, mut args: ClassifyArgs) -> Result<()> {
    let cfg = &ctx.ws.config;
    if ctx.interactive {
        // Asked before the lock is taken: a clerk thinking holds up no other kefu.
        let current = ctx.ws.load(&ctx.ws.resolve(&args.id)?)?.classification;
        let placeholder = Classify {
            category: cfg.categories.first().map(|c| c.key.clone()).unwrap_or_default(),
            level: Level::General,
            department: cfg.departments.first().map(|d| d.key.clone()).unwrap_or_default(),
            follow_up: None,
            external: None,
        };
        super::try_first(ctx, &args.id, |c| rules::classify(c, cfg, placeholder, ctx.by()))?;
        prompt_missing(cfg, &mut args.class, &current)?;
    }
    let case = super::update(ctx, &args.id, |case| {
        // The flags left out keep the classification in force now (an escalated level
        // included), not the one the file last recorded.
        rules::bring_up_to_date(case, cfg, ctx.now, ctx.by())?;
        let Some(c) = classification(cfg, &args.class, &case.classification)? else {
            bail!("{}", crate::output::i18n::tr("nothing_to_classify", &[]));
        };
        let body = format!(
            "category: {}\nlevel: {}\ndepartment: {}",
            c.category,
            c.level.key(),
            c.department
        );
        let was_classified = case.classification.level.is_some();
        rules::classify(case, cfg, c.clone(), ctx.by())?;
        let verb = if was_classified { "reclassify" } else { "classify" };
        Ok((
            format!(
                "{verb} {} as {} {} for {}",
                case.id,
                c.level.key(),
                c.category,
                c.department
            ),
            body,
        ))
    })?;
    super::show::print_result(
        ctx,
        &case,
        &crate::output::i18n::t(
            cfg.lang,
            "classified",
            &[
                ("id", &case.id),
                (
                    "due",
                    &case
                        .deadlines
                        .close
                        .map(|t| crate::output::render::local(cfg, t))
                        .unwrap_or_default(),
                ),
            ],
        ),
    )
}

/// The classification the flags ask for, completed from the current one; `None` when
/// no flag was given. Keys and labels are checked against the config.
pub fn classification(cfg: &Config, flags: &ClassFlags, current: &Classification) -> Result<Option<Classify>> {
    let given =
        flags.category.is_some() || flags.level.is_some() || flags.department.is_some() || flags.follow_up.is_some();
    // `--external` alone at intake is part of the intake, not a classification.
    let flag = flags.external || flags.no_external;
    if !given && (!flag || current.level.is_none()) {
        return Ok(None);
    }
    let category = match (&flags.category, &current.category) {
        (Some(c), _) => Some(
            cfg.category(c)
                .map_err(|e| anyhow::anyhow!("--category: {e}"))?
                .key
                .clone(),
        ),
        (None, c) => c.clone(),
    };
    let level = match (&flags.level, current.level) {
        (Some(l), _) => Some(cfg.level("--level", l)?),
        (None, l) => l,
    };
    let department = match (&flags.department, &current.department) {
        (Some(d), _) => Some(
            cfg.department(d)
                .map_err(|e| anyhow::anyhow!("--department: {e}"))?
                .key
                .clone(),
        ),
        (None, d) => d.clone(),
    };
    let missing: Vec<&str> = [
        ("--category", category.is_none()),
        ("--level", level.is_none()),
        ("--department", department.is_none()),
    ]
    .into_iter()
    .filter_map(|(flag, missing)| missing.then_some(flag))
    .collect();
    if !missing.is_empty() {
        bail!(
            "{}",
            crate::output::i18n::tr(
                "classify_also",
                &[(
                    "flags",
                    &missing.join(crate::output::i18n::t(crate::output::i18n::lang(), "and_sep", &[]).as_str())
                )],
            )
        );
    }
    let (Some(category), Some(level), Some(department)) = (category, level, department) else {
        unreachable!("checked above")
    };
    // Keeping the level of an irrational case keeps its follow-up mode; a deferral's
    // mode belongs to the deferral, not to a classification.
    let keep = flags.level.is_none() && level == Level::Irrational;
    let follow_up = flags.follow_up.or(current.follow_up.filter(|_| keep));
    Ok(Some(Classify {
        category,
        level,
        department,
        follow_up,
        external: if flags.no_external {
            Some(false)
        } else {
            flags.external.then_some(true)
        },
    }))
}

/// Ask on the terminal for what a classification needs and neither the flags nor the
/// case's current classification give: category, level, department, and the follow-up
/// mode of an irrational complaint (SPEC §12.6).
fn prompt_missing(cfg: &Config, flags: &mut ClassFlags, current: &Classification) -> Result<()> {
    use crate::prompt::{Item, Prompter};
    let ask = Prompter::new(cfg.lang);
    if flags.category.is_none() && current.category.is_none() {
        let items: Vec<Item> = cfg.categories.iter().map(|c| Item::new(&c.key, &c.label)).collect();
        flags.category = Some(cfg.categories[ask.choose("p_category", &items)?].key.clone());
    }
    if flags.level.is_none() && current.level.is_none() {
        let items: Vec<Item> = Level::ALL
            .iter()
            .map(|l| Item::new(l.key(), cfg.level_label(*l)))
            .collect();
        flags.level = Some(Level::ALL[ask.choose("p_level", &items)?].key().to_string());
    }
    if flags.department.is_none() && current.department.is_none() {
        let items: Vec<Item> = cfg.departments.iter().map(|d| Item::new(&d.key, &d.label)).collect();
        flags.department = Some(cfg.departments[ask.choose("p_department", &items)?].key.clone());
    }
    let level = match &flags.level {
        Some(l) => Some(cfg.level("--level", l)?),
        None => current.level,
    };
    let kept = flags.level.is_none() && current.follow_up.is_some();
    if level == Some(Level::Irrational) && flags.follow_up.is_none() && !kept {
        flags.follow_up = Some(follow_up(cfg.lang, &ask)?);
    }
    Ok(())
}

/// The follow-up mode of an irrational complaint, as a menu.
pub fn follow_up(
    lang: crate::output::i18n::Lang,
    ask: &crate::prompt::Prompter,
) -> Result<crate::domain::case::FollowUp> {
    use crate::domain::case::FollowUp;
    let items: Vec<crate::prompt::Item> = FollowUp::ALL
        .iter()
        .map(|f| crate::prompt::Item::fixed(lang, f.key(), f.label()))
        .collect();
    Ok(FollowUp::ALL[ask.choose("p_follow_up", &items)?])
}
