acked = { $id } acknowledged; first reply due { $due }
classified = { $id } classified; close deadline { $due }
closed_first = { $id } closed (first-time close)
closed_second = { $id } closed (second-time close)
close_refused_open = { $id }: the customer is not satisfied; the case stays open
close_refused_void = { $id }: the customer is not satisfied; the close request is void
close_requested = { $id }: close requested; call the customer back by { $due } and record it with `kefu close { $id } --satisfaction S`
deferred = { $id } deferred: now a second irrational complaint under { $mode }
noted = note added to { $id }
rejected = { $id } rejected: not established
reopened = { $id } reopened
replied = { $id } reply recorded
handed_to = { $id } handed to { $dept }; form written to { $file }
swept = sweep: { $escalations } escalation(s) and { $penalties } penalty notice(s) recorded on { $cases } case(s)
no_cases = no cases match
n_cases = { $n ->
    [one] { $n } case
   *[other] { $n } cases
}
nothing_due = nothing due within { $within }
overdue_for = overdue { $t }
due_in_short = in { $t }
met = met
met_late = met late by { $t }
missed = missed (the case left the clock after it)
stopped = stopped (the case left the clock before it)
overdue_by = overdue by { $t }
due_in = due in { $t }
deadlines = Deadlines
timeline = Timeline
f_contact = contact
f_received = received
f_via = { $t } via { $channel }
f_summary = summary
f_details = details
f_product = product
f_order = order
f_request = request
f_category = category
f_level = level
f_department = department
f_irrational = irrational
f_external = external
external_yes = yes — an external complaint, taken outside the shop
f_closed = closed
closed_kind_first = first-time close
closed_kind_second = second-time close
f_close_asked = close asked
f_cause = cause
f_countermeasure = countermeasure
f_source = source
h_id = id
h_received = received
h_status = status
h_level = level
h_category = category
h_department = department
h_customer = customer
h_summary = summary
h_overdue = overdue
h_due = due
h_what = what
h_case = case
h_contact = contact
k_intake = intake
k_classify = classify
k_handoff = handoff
k_ack = ack
k_reply = reply
k_close_request = close_request
k_close = close
k_defer = defer
k_reject = reject
k_reopen = reopen
k_note = note
k_edit = edit
k_penalty_confirm = penalty_confirm
k_penalty_waive = penalty_waive
k_penalty_execute = penalty_execute
k_escalate = escalate
k_penalty = penalty
k_cancel = cancel
ev_received = received
ev_handoff = to { $dept } (receiver { $receiver })
ev_ack = signed by { $by }
ev_customer_service = customer service
ev_first_reply = { " " }(first reply)
ev_to_customer = { " " }→ customer
ev_to_customer_written = { " " }→ customer, in writing
ev_promise = { " " }[call back by { $t }]
ev_close_request = close requested by { $dept }: { $resolution } ({ $remedy }); call back by { $t }
ev_confirmed = customer called back: { $kind }, request of { $t }
ev_confirm_refused = customer called back, not satisfied: the close request is void, request of { $t }
ev_approved_by = , approved by { $by }
ev_called_by = , called back by { $by }
ev_late = , confirmed late
ev_close = { $kind }, requested { $t }: { $resolution } ({ $remedy })
ev_close_refused = close refused by the customer: { $resolution }
ev_escalate = close deadline missed → { $level } (new deadline { $t })
ev_penalty = penalty { $amount } to { $dept } ({ $reason })
ev_cancel = cancels event { $event }: { $reason }
reason_close = close deadline { $t } missed ({ $level })
check_ok = ok: the config and { $n } case file(s) are valid
reason_monthly = still open a further 30 days after the first missed close deadline

## Errors and notes of every command
error_prefix = error:{ " " }
warning_prefix = warning:{ " " }
note_prefix = note:{ " " }
partly_done = { $skipped } case file(s) skipped (named above); everything else was done
bad_station = { $flag }: expected 1 to 3 lowercase letters (like "b"), got { $got }
cannot_create = cannot create { $path }
cannot_resolve = cannot resolve { $path }
init_exists = { $dir } is already a kefu workspace ({ $file } exists); nothing was changed
init_git_failed = `git init` failed; the workspace works without git, but keeps no audit trail
init_no_git = no `git` program found; the workspace works without git, but keeps no audit trail
init_done = created a kefu workspace in { $dir } — edit { $config } for your shop
init_done_git = created a kefu workspace in { $dir } with its own git repository — edit { $config } for your shop
init_own_git = note: { $dir } already had a git repository; kefu did not commit into it
init_system_dir = { $dir } is the system folder { $system }; make the workspace in a folder of your own
init_not_empty = { $dir } is not empty ({ $files }); kefu init makes a workspace in a new or empty folder
init_not_committed = the workspace is created but not committed: { $why }; { $hint }
cannot_read = cannot read { $path }
cannot_write = cannot write { $path }
cannot_replace = cannot replace { $path }
cannot_open = cannot open { $path }
cannot_remove = cannot remove { $path }
cannot_restore = cannot restore { $path }
cannot_lock = cannot lock { $path }
cannot_read_cwd = cannot read the current directory
not_a_workspace = { $dir } is not a kefu workspace (no { $config }); create one with `kefu init { $dir }`
no_workspace = no kefu workspace here or above { $dir } (no { $config }); create one with `kefu init DIR`, or pass --root DIR
not_an_id = { $got } is not a case id: expected YYYYMMDD-NNN (YYYYMMDD-bNNN with a station) or a unique suffix of it of at least 3 characters (like 1123-001, b001 or 001)
no_case = no case { $id } (no { $path })
no_case_suffix = no case id ends with { $got }
ambiguous_id = { $got } is ambiguous: it could be { $ids }; give more of the id
out_not_a_file_name = { $flag }: { $path } does not name a file
out_no_folder = { $flag }: cannot write { $path }: its folder
out_inside = { $flag }: { $path } is inside the workspace's { $kept }/, which only kefu and git write
out_config = { $flag }: { $path } is the workspace's configuration
out_symlink = { $flag }: { $path } is a symbolic link; kefu does not write through links
out_not_file = { $flag }: { $path } exists and is not a file
out_exists = { $flag }: { $path } already exists; add --force to replace it
flat_layout_write = this workspace keeps its cases in the old flat layout (cases/<id>.toml); run `kefu upgrade` once to move them to cases/YYYY/MM/, then try again; nothing was written
flat_layout_read = case files are in the old flat layout (cases/<id>.toml); run `kefu upgrade` to move them to cases/YYYY/MM/ (one commit) before recording anything
bad_lock_timeout = KEFU_LOCK_TIMEOUT: expected seconds between 0 and 86400, got { $got }
lock_held = another kefu has held the workspace lock ({ $path }) for over { $limit } s; try again when it has finished
lock_waiting = waiting for another kefu to finish writing…
field_too_big = { $flag } ({ $field }) is { $len } bytes, over the { $max }-byte limit for a field (max_field_bytes in { $config }); nothing was written
case_too_big = case { $id } would be { $len } bytes, over the { $max }-byte limit for a case file (max_case_bytes in { $config }); nothing was written
refused = cannot { $action } { $id }: { $why }
act_classify = classify
act_hand_off = hand off
act_acknowledge = acknowledge
act_record_a_department_reply_on = record a department reply on
act_close = close
act_request_the_close_of = request the close of
act_confirm_the_close_of = confirm the close of
act_defer = defer
act_reject = reject
act_reopen = reopen
act_reclassify_as = reclassify as { $level }
act_hand_off_to = hand off to { $dept }
at_now = { $kind } at --now
why_is = it is { $status }
why_is_reopen = it is { $status }; reopen it first
why_already = it is already { $status }
why_still_open = it is still open ({ $status })
why_unclassified = it is not classified yet; run `kefu classify { $id }` first
why_not_handed = it has not been handed off to a department
why_already_signed = the latest handoff is already signed for
why_pending = the close request of { $at } waits for the call-back; record it with `kefu close { $id } --satisfaction S`
why_pending_first = its close request of { $at } waits for the call-back; record it first with `kefu close { $id } --satisfaction S`
why_no_pending = no close request is pending; record one with --request, or close in one step with --resolution and --remedy
why_level_after_miss = its close deadline of { $at } was missed and the level in force is { $level }; a level cannot change after a missed close deadline (category and department can: give --level { $level } or leave it out)
why_level_passed = its close deadline would be { $at } (received + { $limit }), which has already passed, and the department would be charged for a time before the reclassification; keep the level or choose one whose close deadline is ahead
why_other_dept = it is classified to { $dept }; add --reassign to move it to { $to } (recorded as a reclassification)
why_future = { $t } is in the future (now is { $now })
why_after_intake = { $kind } at { $at } is recorded after the intake, and its deadlines count from the receipt
why_deadline_passed = its { $limit } deadline { $at } has passed
needs_follow_up = an irrational complaint needs --follow-up watch|monitor (watch or monitor)
follow_up_only_irrational = --follow-up is only for an irrational complaint (--level irrational)
in_future = { $flag } { $t } is in the future (now is { $now })
before_received = { $flag } { $t } is before the case was received ({ $received })
before_last_event = { $what } { $t } is before the case's last recorded event ({ $kind } at { $at })
reply_not_handed = cannot record a reply from { $dept } on { $id }: it was never handed off to { $dept }
promise_past = --promise { $t } is not in the future (now is { $now })
cause_required = { $flag } is required: the level in force at the close request is { $level } (listed in [close] require_cause)
nothing_to_change = nothing to change: every value given is what { $id } already holds
refused_received_at = cannot change --received-at of { $id }: { $why }
before_confirmed = --at { $t } is before the penalty was confirmed ({ $confirmed })
expected_duration = expected a duration like "90m", "4h", "3d", "1d12h", or in business time "4bh" or "3bd", got { $got }
unit_twice = { $got }: the unit '{ $unit }' is given twice; write each of d, h, m at most once
business_mixed = { $got }: business time is one number and one unit, like "4bh" or "3bd"; it does not mix with other units
duration_too_long = { $got } is longer than 3650 days, the longest duration kefu takes
needs_year = { $got }: an absolute time needs its year, like 2026-11-23 10:15
expected_offset = { $got }: expected an offset from now like +2h, +3d or -30m
offset_business = { $got }: an offset from now is calendar time, like +2h or +3d
year_digits = { $got }: the year needs four digits, like 2026-11-23 10:15
expected_time = expected a time like "2026-11-24 14:00", 2026/11/24, "11/24 14:00", "tomorrow 14:00", +2h or 2026-11-24T14:00:00+08:00, got { $got }
year_range = { $t }: the year must be between 1970 and 2199
leap_second = { $t }: a leap second is not a time kefu records
unknown_value = unknown { $what } { $got }: expected one of { $all }
what_category = category
what_channel = channel
what_request = request
what_level = level
what_department = department
what_status = status
what_follow_up_mode = follow-up mode
what_satisfaction = satisfaction
what_remedy = remedy
what_penalty_state = penalty state
one_of = { " " }(one of { $all })
missing_flags = { $n ->
    [one] missing required flag: { $flags }
   *[other] missing required flags: { $flags }
}
already_recorded = already recorded as { $id } (same --source-ref); nothing written
edit_needs_reason = --reason is required: say why the record changes (it is kept with the old and new values)
nothing_to_edit = nothing to edit: give one or more of --name --contact --channel --summary --details --product --order --request --received-at
edited = { $id } edited
nothing_to_classify = nothing to classify: give --category, --level, --department (and --follow-up for irrational)
classify_also = to classify, also give { $flags }
waive_needs_reason = missing required flag: --reason (why the penalty is waived)
no_penalties = no penalties
request_needs_resolution = --request needs --resolution (how it was resolved)
request_needs_remedy = --request needs --remedy (what the customer got)
requested_at_one_step = --requested-at is for a one-step close; the call-back confirms the pending request's time
cause_with_request = --cause and --countermeasure go with the close request (--request), not its confirmation
at_not_one_step = --at is for --request or a confirmation; a one-step close takes --requested-at
one_step_needs_resolution = a one-step close needs --resolution as well as --remedy
one_step_needs_remedy = a one-step close needs --remedy as well as --resolution
close_needs_what = give --request (the close request) or --satisfaction (the call-back)
import_conflict = case { $id }: a case with this id is already here with a different history
import_bad = { $bad } of { $total } { $total ->
    [one] row is
   *[other] rows are
} bad (listed above); nothing was imported
import_unreferenced = note: { $n ->
    [one] 1 new complaint has no source_ref, so importing this file again would create it again
   *[other] { $n } new complaints have no source_ref, so importing this file again would create them again
}
import_dry_run = dry run: would import { $new ->
    [one] 1 complaint
   *[other] { $new } complaints
}, { $duplicates ->
    [one] 1 duplicate
   *[other] { $duplicates } duplicates
} skipped{ $empty ->
    [0] {""}
    [one] , 1 empty row ignored
   *[other] , { $empty } empty rows ignored
}; nothing written
imported = imported { $new ->
    [one] 1 complaint
   *[other] { $new } complaints
}, { $duplicates ->
    [one] 1 duplicate
   *[other] { $duplicates } duplicates
} skipped{ $empty ->
    [0] {""}
    [one] , 1 empty row ignored
   *[other] , { $empty } empty rows ignored
}
import_write_failed = writing the new cases failed; none were kept
at_row = row { $n }
at_column = column { $col }
at_column_named = column { $col } ({ $name })
no_header = a value in a column without a header
