"""The catalogue of every problem `matrix` can report: stable code, severity, message template.

Tests format these templates instead of copying message text, and docs/issue-codes.md is
checked against this file. Add new codes to the section of the module that reports them.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from matrix.models.issues import Issue, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


class Code(Enum):
    """A rule: `Code.UNKNOWN_ACTOR.issue(file=..., line=..., what=..., actor=...)` builds the Issue."""

    # --- plan file (matrix.plan) -------------------------------------------------------------
    PLAN_EMPTY = ("plan-empty", E, "the plan is empty; start from `matrix init DIR`")
    PLAN_NOT_MAPPING = ("plan-not-mapping", E, "the plan must be a YAML mapping of fields (id:, title:, ...), found {found}")
    PLAN_UNREADABLE = ("plan-unreadable", E, "cannot read the plan: {reason}")
    YAML_SYNTAX = ("yaml-syntax", E, "invalid YAML: {problem}")
    YAML_TOO_DEEP = ("yaml-too-deep", E, "values are nested more than {limit} levels deep (a plan needs about 8); check the indentation and brackets")
    YAML_ALIAS_EXPANSION = ("yaml-alias-expansion", E, "aliases repeat more than {limit} values in all (here *{alias}); write the repeated values out, or nest fewer aliases")
    YAML_ALIAS_CYCLE = ("yaml-alias-cycle", E, "alias *{alias} is used inside the value it names; an alias can only repeat a value that ends before it")
    DUPLICATE_KEY = ("duplicate-key", E, "key '{key}' appears twice in the same mapping; keep one")
    MISSING_FIELD = ("missing-field", E, "{where}: required field '{field}' is missing; add `{field}:`")
    UNKNOWN_FIELD = ("unknown-field", E, "{where}: '{field}' is not a field here (the fields here: {known}){hint}")
    INVALID_VALUE = ("invalid-value", E, "{where}: {reason}")
    INVALID_ID = ("invalid-id", E, "{where}: {field} '{found}' is not a valid id: ids use only letters, digits, '-' and '_' (no dots or spaces), start with a letter or digit and have at most 40 characters; write '{suggestion}'")
    INVALID_LANGUAGE = ("invalid-language", E, "{where}: '{found}' is not a language code; write the two-letter code in lower case: en, fr, es or ar")
    NOT_TEXT = ("not-text", E, "{where}: {field} should be text, found {found}")
    EMPTY_TEXT = ("empty-text", E, "{where}: {field} is empty; write it out, or delete the line if the field is optional")
    PLAN_TEXT_TOO_LONG = ("plan-text-too-long", E, "{where}: {field} has {length} characters, more than the {limit} allowed; shorten it")
    NOT_A_NUMBER_IN_PLAN = ("number-expected", E, "{where}: {field} should be a number, found {found}; write digits only, without units or thousands separators, e.g. `{field}: 1500`")
    NUMBER_TOO_SMALL = ("number-too-small", E, "{where}: {field} is {found}, but it must be {limit} or more")
    NUMBER_TOO_LARGE = ("number-too-large", E, "{where}: {field} is {found}, but it must be {limit} or less")
    NOT_TRUE_FALSE = ("true-or-false-expected", E, "{where}: {field} should be true or false, found {found}")
    INVALID_DATE = ("invalid-date", E, "{where}: {field} should be a date written year-month-day, e.g. `{field}: {example}`, found {found}")
    INVALID_CHOICE = ("invalid-choice", E, "{where}: {field} {found} is not one of {choices}{hint}")
    NOT_A_LIST = ("list-expected", E, "{where}: {field} should be a list in brackets, e.g. `{field}: [{example}]`, found {found}")
    NOT_A_MAPPING = ("mapping-expected", E, "{where}: {field} should hold fields ({fields}), each on its own indented line, found {found}")
    LIST_TOO_SHORT = ("list-too-short", E, "{where}: {field} needs at least {limit} item(s), found {count}")
    LIST_TOO_LONG = ("list-too-long", E, "{where}: {field} may have at most {limit} items, found {count}")
    BUDGET_NOT_AN_AMOUNT = ("budget-not-an-amount", E, "{where}: budget is the amount alone, a number, and its currency goes in `currency:` beside it (ISO 4217, default the plan's); write {suggestion}")
    PLAN_COUNTRIES_ALL = ("plan-countries-all", E, "countries: a plan lists the countries it covers as ISO 3166-1 alpha-3 codes, e.g. `countries: [SDN, ETH]`; `countries: all` is for an activity, where it means every country of the plan")
    UNSUPPORTED_SCHEMA = ("unsupported-schema-version", E, "schema_version {found} is not supported; this version of matrix reads schema_version {supported}")
    # --- plan content (matrix.plan.checks) -----------------------------------------------------
    UNKNOWN_FRAMEWORK = ("unknown-framework", E, "framework '{name}' is not built in{hint}; built-in frameworks: {known}")
    DUPLICATE_ID = ("duplicate-id", E, "{kind} id '{id}' is used more than once (first at {first}); ids must be unique")
    UNKNOWN_ACTOR = ("unknown-actor", E, "{what}: {role} '{actor}' is not among the actors{hint}")
    UNKNOWN_ACTION_POINT = ("unknown-action-point", E, "objective {objective}: action point '{ref}' is not in framework '{framework}', whose action points are {known} (or their numbers){hint}")
    UNKNOWN_COUNTRY = ("unknown-country", E, "'{code}' is not an ISO 3166-1 alpha-3 country code{hint}")
    COUNTRY_NOT_IN_PLAN = ("country-not-in-plan", E, "activity {activity}: country '{code}' is not among the plan's countries ({countries}); add it to `countries:`")
    UNKNOWN_CURRENCY = ("unknown-currency", E, "'{code}' is not an ISO 4217 currency code{hint}")
    END_BEFORE_START = ("end-before-start", E, "activity {activity}: end {end} is before start {start}")
    TARGET_WITHOUT_UNIT = ("target-without-unit", E, "activity {activity}: indicator '{indicator}' has a target but no unit; add `unit:` (e.g. people, sessions, reports)")
    PERIOD_MISMATCH = ("period-mismatch", E, "reporting.first_period '{period}' does not match frequency {frequency}; write it like '{example}'")
    REGIONAL_WITHOUT_REGION = ("regional-without-region", E, "a {scope} plan needs `region:` with a code and a name, used to name its regional matrix")
    REGION_NOT_REPORTING = ("region-not-reporting", W, "region {region} is not expected to report (`reports: false`), yet only its regional matrix reports the region-wide activities {activities}; remove `reports: false`, or make those activities country activities")
    EMPTY_ACTION_POINT = ("action-point-without-activity", W, "action point {ap} ({title}) has no activity: a gap in the plan")
    ACTIVITY_WITHOUT_INDICATOR = ("activity-without-indicator", W, "activity {activity} has no indicator, so its progress cannot be measured")
    ACTIVITY_WITHOUT_LEAD = ("activity-without-lead", W, "activity {activity} has no lead actor")
    INDICATOR_WITHOUT_TARGET = ("indicator-without-target", W, "activity {activity}: indicator '{indicator}' has no target")
    ACTIVITY_WITHOUT_COUNTRY = ("activity-without-country", W, "activity {activity} applies to no country and is not regional, so no matrix will show it")
    INDICATOR_PERIODS_KIND = ("indicator-periods-kind", E, "activity {activity}: indicator '{indicator}' is a {kind}, whose values cannot combine over periods as {how}; declare `periods:` {choices}")
    INDICATOR_REGIONAL_KIND = ("indicator-regional-kind", E, "activity {activity}: indicator '{indicator}' is a {kind}, whose country figures cannot combine as {how}; declare `regional_total:` {choices}")
    INDICATOR_CUMULATIVE_CONFLICT = ("indicator-cumulative-conflict", E, "activity {activity}: indicator '{indicator}' says `cumulative: {cumulative}` and `periods: {periods}`, which contradict each other; keep `periods:` and remove `cumulative:`")
    INDICATOR_DATE_TARGET = ("indicator-date-target", E, "activity {activity}: indicator '{indicator}' is a date, which has no numeric target; remove `target:` (say the date wanted in the activity's `end:`)")
    RATIO_PARTS_MISSING = ("ratio-parts-missing", E, "activity {activity}: indicator '{indicator}' has `regional_total: ratio` but no `{missing}:`; name the plan rows (refs, e.g. {example}) counting the part and the whole")
    RATIO_WITHOUT_RATIO = ("ratio-without-ratio", E, "activity {activity}: indicator '{indicator}' names a `{field}:` but its regional total is {how}; set `regional_total: ratio`, or remove `{field}:`")
    RATIO_NOT_PERCENT = ("ratio-not-percent", E, "activity {activity}: indicator '{indicator}' is a {kind}, but a ratio gives a percentage; declare `kind: percent`")
    RATIO_PART_UNKNOWN = ("ratio-part-unknown", E, "activity {activity}: {field} '{ref}' of indicator '{indicator}' is not an indicator row of the plan{hint}")
    RATIO_PART_KIND = ("ratio-part-kind", E, "activity {activity}: {field} '{ref}' of indicator '{indicator}' is a {kind}; a ratio divides counts, numbers or amounts")
    RATIO_PART_ITSELF = ("ratio-part-itself", E, "activity {activity}: indicator '{indicator}' is its own {field}; name the rows counting the part and the whole")
    RATIO_PART_COUNTRIES = ("ratio-part-countries", W, "activity {activity}: {field} '{ref}' of indicator '{indicator}' is not reported by {countries}, so the regional percentage leaves them out")
    GUIDANCE_UNKNOWN_ACTION_POINT = ("guidance-unknown-action-point", E, "guidance: action point '{ref}' is not in framework '{framework}', whose action points are {known} (or their numbers){hint}")
    OVERVIEW_HEADING_UNKNOWN = ("overview-heading-unknown", E, "overview heading '{id}' is not built in ({known}); give it a `title:`")
    # --- plan workbook (matrix.plan.workbook) ------------------------------------------------
    NOT_A_PLAN_WORKBOOK = ("not-a-plan-workbook", E, "this workbook is {what}, not a plan workbook; give the plan (plan.yaml, or a workbook written by `matrix plan export`)")
    PLAN_WORKBOOK_NEWER = ("plan-workbook-newer", E, "this plan workbook has layout {found}, newer than this version of matrix reads ({supported}); update matrix, or export the plan again with this version")
    PLAN_SHEET_MISSING = ("plan-sheet-missing", E, "sheet '{name}' is missing from the plan workbook; put it back (a fresh `matrix plan export` has it), or rename the sheet that holds the {what} to '{name}'")
    PLAN_HEADER_MISSING = ("plan-header-missing", E, "sheet '{name}' has no header row naming its columns ({columns}); put the header row back above the first row of data")
    PLAN_SHEET_COLUMN_MISSING = ("plan-sheet-column-missing", E, "column '{column}' is missing from sheet '{name}'; every row needs it: put it back in the header row")
    PLAN_SHEET_COLUMN_ABSENT = ("plan-sheet-column-absent", W, "column '{column}' is missing from sheet '{name}', so no row has a value for it; put it back if that is not meant")
    PLAN_SHEET_COLUMN_UNKNOWN = ("plan-sheet-column-unknown", W, "column '{column}' is not one of the columns of sheet '{name}', so it was not read{hint}")
    PLAN_SETTING_UNKNOWN = ("plan-setting-unknown", W, "'{key}' is not a plan setting, so it was not read{hint}")
    UNKNOWN_CHOICE = ("unknown-choice", E, "\"{text}\" is not one of the choices{hint}; choose one from the list: {choices}")
    CELL_YAML_INVALID = ("cell-yaml-invalid", E, "this cell holds YAML that cannot be read: {problem}")
    UNKNOWN_REFERENCE = ("unknown-reference", E, "{what}: {kind} '{ref}' is not on the '{sheet_name}' sheet{hint}; correct it, or delete the row")
    # --- generate (matrix.generate) ----------------------------------------------------------
    PERIOD_AFTER_ACTIVITIES = ("period-after-activities", W, "period {period} starts on {start}, after every activity of the plan has ended (the last on {end}), so its matrices ask about finished work; check --period, or extend the activities' `end:` in the plan")
    # --- workbook file (matrix.excel.safety) ---------------------------------------------------
    FILE_EMPTY = ("file-empty", E, "the file is empty (0 bytes); send the workbook again")
    FILE_UNREADABLE = ("file-unreadable", E, "cannot open the file: {reason}")
    NOT_A_FILE = ("not-a-file", E, "this is {what}, not a file; only workbook files are read: put the returned .xlsx file here and run again")
    LEGACY_XLS = ("legacy-xls", E, "this is a legacy Excel 97-2003 (.xls) file; open it in Excel and save it as .xlsx (Excel Workbook)")
    ENCRYPTED_WORKBOOK = ("encrypted-workbook", E, "this workbook is protected with a password to open; open it in Excel, clear the password (File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx")
    CSV_NOT_WORKBOOK = ("csv-not-workbook", E, "this is a CSV or text file, not an Excel workbook; fill in the .xlsx matrix you were sent and return that file")
    HTML_NOT_WORKBOOK = ("html-not-workbook", E, "this is a web page (HTML) with a spreadsheet name, not an Excel workbook; open it in Excel and save it as .xlsx (Excel Workbook)")
    ODS_NOT_WORKBOOK = ("ods-not-workbook", E, "this is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel 2007-365) and send that file")
    XLSB_NOT_WORKBOOK = ("xlsb-not-workbook", E, "this is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx (Excel Workbook)")
    NOT_A_WORKBOOK = ("not-a-workbook", E, "this is not an Excel workbook ({what}); send the .xlsx matrix you were sent")
    TRUNCATED_FILE = ("truncated-file", E, "the file is incomplete (cut short while downloading or copying); send it again")
    DAMAGED_FILE = ("damaged-file", E, "the workbook is damaged ({reason}); open it in Excel, save it again as .xlsx and send that file")
    MACRO_ENABLED = ("macro-enabled", E, "this is a macro-enabled workbook (.xlsm); matrices never need macros: save it as .xlsx (Excel Workbook) and send that file")
    FILE_TOO_LARGE = ("file-too-large", E, "the file is {size} MB, more than the {limit} MB a matrix can be; remove pictures and extra sheets, save and send it again")
    ZIP_BOMB = ("zip-bomb", E, "the workbook expands to far more data than a matrix holds ({detail}); it was refused unread: send the matrix you were sent, filled in")
    XML_ENTITIES = ("xml-entities", E, "part {part} declares XML entities (<!DOCTYPE or <!ENTITY), which workbooks never contain; it was refused unread: send the matrix you were sent, filled in")
    USED_RANGE_TOO_LARGE = ("used-range-too-large", E, "sheet '{name}' uses cells up to {last}, beyond the {rows} rows and {columns} columns a matrix can have; delete the rows and columns after the matrix and save again")
    CELLS_WITHOUT_REFERENCE = ("cells-without-reference", E, "sheet '{name}' was written by a program that leaves out cell references; open the file in Excel or LibreOffice and save it again as .xlsx")
    WORKBOOK_UNREADABLE = ("workbook-unreadable", E, "the workbook cannot be read ({reason}); open it in Excel, save it again as .xlsx and send that file")
    READER_CRASHED = ("reader-crashed", E, "reading this workbook stopped the reader; open it in Excel, save it again as .xlsx and send that file")
    # --- feedback copies (matrix.annotate) -------------------------------------------------------
    FEEDBACK_COPY = ("feedback-copy", W, "this is the feedback copy `matrix validate --annotate` made of {source}, not a return: it was skipped; send it to the office, then collect the workbook the office sends back")
    # --- workbook identity and structure (matrix.validation) -----------------------------------
    VALIDATION_FAILED = ("validation-failed", E, "matrix could not finish checking this file ({reason}); this is a bug in matrix: please report it with the file")
    METADATA_MISSING = ("metadata-missing", E, "this workbook has no matrix metadata (its hidden sheet '{sheet_name}' is gone), so it was not made by `matrix generate` or was rebuilt by copying; fill in the matrix you were sent and return that file")
    METADATA_DAMAGED = ("metadata-damaged", E, "the workbook's hidden matrix metadata cannot be used: {reason}; fill in the matrix you were sent and return that file")
    OTHER_PLAN = ("other-plan", E, "this workbook is a matrix of plan '{found}', not of plan '{expected}'; validate it with its own plan")
    PLAN_VERSION_UNKNOWN = ("plan-version-unknown", E, "this workbook was generated on {generated} from version {found} of plan '{plan}', which this project does not keep ({where}); validate it in the project folder that generated it, or send the office a matrix of the current plan (`matrix generate --period {period} --country {office}`)")
    PLAN_VERSION_NEWER = ("plan-version-newer", E, "this workbook was generated on {generated} from version {found} of plan '{plan}', first used {found_since}, newer than the plan given (version {expected}, last used {expected_since}); validate it with the project's current plan (if the plan given is current, a change undone, generate a matrix from it first)")
    # --- plan changes since a return's matrix was generated (matrix.validation.carry) -----------
    PLAN_VERSION_EARLIER = ("plan-version-earlier", I, "this matrix was generated on {generated} from an earlier version of plan '{plan}' ({found}; current {expected}); it was checked against its own version and its rows carried onto the current plan")
    PLAN_ROW_NOT_CARRIED = ("plan-row-not-carried", I, "{ref} ({title}) not carried: {reason}")
    PLAN_ROW_ADDED = ("plan-row-added", I, "{ref} ({title}) is not in this office's matrix: it was added to the plan {when}, after the matrix was generated; the office reports it in its next matrix")
    PLAN_ROW_RENUMBERED = ("plan-row-renumbered", I, "{old} is {ref} in the current plan; its values were carried there")
    PLAN_TARGET_REVISED = ("plan-target-revised", I, "the target of {ref} ({title}) was revised {when} from {old} to {new}, after this matrix was generated; the current target, {new}, counts")
    OFFICE_NOT_IN_PLAN = ("office-not-in-plan", E, "the workbook's hidden record gives office '{office}', which plan '{plan}' does not cover; check which plan it belongs to, or send the office a fresh matrix")
    PERIOD_NOT_IN_PLAN = ("period-not-in-plan", E, "the workbook's hidden record gives period '{period}', {reason}; its hidden sheet was edited or it is not a matrix of this plan: send the office a fresh matrix for the period it reports on")
    LANGUAGE_UNKNOWN = ("language-unknown", E, "the workbook's hidden record gives language '{lang}', which matrix does not have ({languages}); its hidden sheet was edited: send the office a fresh matrix")
    METADATA_INCONSISTENT = ("metadata-inconsistent", E, "the workbook's hidden record contradicts itself: {reason}; its hidden sheet was edited: send the office a fresh matrix")
    METADATA_SIGNATURE_MISMATCH = ("metadata-signature-mismatch", E, "the workbook's hidden record (plan, office, period and plan cells) does not match its signature: it was edited after the matrix was generated, or the matrix was not generated with this project's key ({key}); nothing was read from it: the office needs a fresh matrix from the coordinator, to copy its entries into and return")
    METADATA_SIGNATURE_MISSING = ("metadata-signature-missing", E, "the workbook says it was generated on {generated}, after this project's key ({key}) was made, yet its hidden record carries no signature: the signature was removed, or a program other than `matrix generate` made it; nothing was read from it: the office needs a fresh matrix from the coordinator, to copy its entries into and return")
    WORKBOOK_UNSIGNED = ("workbook-unsigned", W, "this matrix was generated before the project had a key, so nothing proves it is {office}'s return for {period}: check that it is, and send offices freshly generated (signed) matrices from now on")
    SIGNATURE_UNVERIFIED = ("signature-unverified", W, "this matrix is signed, but there is no project key at {key} to check the signature with, so its office and period are unverified; validate with the plan in the project folder that holds .matrix-key (or set MATRIX_KEY_FILE)")
    SHEET_MISSING = ("sheet-missing", E, "sheet '{name}' is missing (renamed or deleted); rename it back to '{name}', or fill in the matrix you were sent")
    SHEET_RENAMED = ("sheet-renamed", W, "sheet '{name}' was renamed '{found}'; it was read anyway, but keep the sheet names as sent")
    SHEET_UNPROTECTED = ("sheet-unprotected", W, "sheet '{name}' is no longer protected, so its grey plan cells can be changed by accident; they were checked, but keep the protection on (Review > Protect Sheet)")
    HEADER_ROW_MISSING = ("header-row-missing", E, "sheet '{name}' has no header row with the matrix columns ({columns}); restore the header row from the matrix you were sent")
    COLUMN_MISSING = ("column-missing", E, "column '{column}' is missing from the header row (row {row}): deleted or its header changed; put it back as in the matrix you were sent")
    PLAN_COLUMN_MISSING = ("plan-column-missing", W, "column '{column}' is missing from the header row (row {row}); the other columns were read, but keep the columns as sent")
    COLUMN_DUPLICATED = ("column-duplicated", E, "column '{column}' appears twice (columns {first} and {second}); delete the extra one")
    DUPLICATE_REF = ("duplicate-ref", E, "row {ref} appears twice (first in row {first}); keep one row per ref and delete the copy")
    UNKNOWN_REF = ("unknown-ref", E, "ref '{ref}' is not a row of the plan on this sheet{hint}; report activities that are not in the plan on the '{new_sheet}' sheet")
    ROW_WITHOUT_REF = ("row-without-ref", E, "row {row} has values but no ref; put back its ref, or report a new activity on the '{new_sheet}' sheet")
    PLAN_ROW_MISSING = ("plan-row-missing", E, "row {ref} ({activity}) is missing; put it back as in the matrix you were sent and report on it")
    DATE_SYSTEM_1904 = ("date-system-1904", W, "this workbook uses the 1904 date system (an Excel for Mac option), so the plan's dates show 4 years and 1 day late in it; they were read as the plan's dates, but turn the option off (Excel > Preferences > Calculation) before typing dates")
    COUNTRY_SHEET_BLANK = ("country-sheet-blank", W, "this regional workbook's sheet for {country} is blank, so it reports nothing for {country}: {country}'s own return counts for it (fill the sheet in if the regional bureau reports for {country})")
    LOCKED_CELL_EDITED = ("locked-cell-edited", E, "{column} of {ref} was changed from {old} to {new}; cells in grey come from the plan: put back {old} (ask the coordinator if the plan is wrong)")
    # --- workbook values (matrix.validation.rules) ---------------------------------------------
    STATUS_MISSING = ("status-missing", E, "no status for {ref}; choose one from the list: {choices}")
    STATUS_UNKNOWN = ("status-unknown", E, "\"{text}\" is not a status{hint}; choose one from the list: {choices}")
    ACTUAL_NOT_A_NUMBER = ("actual-not-a-number", E, "\"{text}\" is not a number; enter {what}")
    ACTUAL_PERCENT_SIGN = ("actual-percent-sign", E, "\"{text}\" is a percentage, but {ref} is a {kind}: enter {what}, without %")
    ACTUAL_NOT_WHOLE = ("actual-not-whole", E, "{number} is not a whole number, but {ref} counts {unit}; enter a whole number")
    ACTUAL_NOT_YES_NO = ("actual-not-yes-no", E, "\"{text}\" is not yes or no; choose {choices} from the list")
    NOT_A_NUMBER = ("not-a-number", E, "\"{text}\" is not a number; enter {what}")
    NUMBER_FROM_TEXT = ("number-from-text", W, "read \"{text}\" as {number}; type numbers without separators, units or %")
    NUMBER_AMBIGUOUS = ("number-ambiguous", E, "\"{text}\" could be {first} or {second}; type the number without separators, e.g. {first}")
    NUMBER_NEGATIVE = ("number-negative", E, "{number} is negative; enter {what}, 0 or more")
    CONTROL_CHARACTERS = ("control-characters", W, "removed {count} control character(s) ({names}) from this text: workbooks cannot hold them; check that it still reads as meant")
    CELL_ERROR = ("cell-error", E, "the cell shows the Excel error {text}; type the value itself instead of a formula")
    DATE_FROM_TEXT = ("date-from-text", W, "read \"{text}\" as the date {date}; enter dates as dates (e.g. 2026-09-30 in a date cell)")
    DATE_FROM_NUMBER = ("date-from-number", W, "read {text} as the date {date} (a date serial number); format the cell as a date")
    NOT_A_DATE = ("not-a-date", E, "\"{text}\" is not a date; enter it as year-month-day, e.g. 2026-09-30")
    COMMENT_REQUIRED = ("comment-required", E, "{ref} is {status}: explain why in the '{column}' column")
    ACTUAL_MISSING = ("actual-missing", W, "{ref} is {status} but has no actual value; enter {what} (0 if nothing yet)")
    COMPLETED_BELOW_TARGET = ("completed-below-target", W, "{ref} is completed but its actual value {actual} is below the target {target}; correct the value or the status")
    ACTUAL_FAR_ABOVE_TARGET = ("actual-far-above-target", W, "the actual value {actual} is more than 3 times the target {target}; check it counts {unit} for this indicator only")
    ACTUAL_BELOW_PREVIOUS = ("actual-below-previous", W, "the total to date {actual} is lower than {previous}, accepted for the last period; a total to date cannot go down: correct it or explain in the comments")
    NOT_STARTED_WITH_PROGRESS = ("not-started-with-progress", W, "{ref} is not started, yet its actual value {actual} is above {threshold}; correct the status (on track, delayed...) or the value")
    AT_RISK = ("at-risk", W, "{ref} is on track, but {progress}% of its target is reached with {elapsed}% of its time ({start} to {end}) gone by {as_of}: more than {margin} points behind; mark it delayed and say why in the comments, or correct the value")
    OVERDUE = ("overdue", W, "{ref} was planned to end by {end} and is {status} at the end of {period}; mark it completed or cancelled if it is, or explain in the comments what remains and when it will end")
    FINISHED_ROW_REOPENED = ("finished-row-reopened", W, "{ref} was {before} in {period} and is now {status}; a finished activity stays finished: correct the status, or explain in the comments why it started again")
    NO_UPDATE = ("no-update", W, "every row ({rows}) is exactly as accepted for {period}: the matrix came back without an update (no update since {period}); ask the office for this period's status and figures")
    NEW_ACTIVITY_TITLE_MISSING = ("new-activity-title-missing", E, "row {row} describes a new activity without a title; enter it in the '{column}' column")
    NEW_ACTIVITY_STATUS_MISSING = ("new-activity-status-missing", E, "new activity '{title}' has no status; choose one from the list: {choices}")
    NEW_ACTIVITY_ACTION_POINT = ("new-activity-action-point", W, "\"{text}\" is not an action point of the framework; choose one from the list")
    NEW_ACTIVITY_DATES = ("new-activity-dates", W, "new activity '{title}' ends ({end}) before it starts ({start}); check the dates")
    TEXT_TOO_LONG = ("text-too-long", E, "the text in '{column}' is {length} characters long, more than the {limit} allowed; shorten it")
    # --- overview, initiatives and good practices (matrix.validation.narratives) ---------------
    OVERVIEW_HEADING_MISSING = ("overview-heading-missing", E, "nothing is written under '{heading}', which the plan requires; summarise the period there in a few sentences")
    OVERVIEW_TEXT_UNPLACED = ("overview-text-unplaced", E, "row {row} has text, but its heading '{found}' is not one of the overview's; put back the heading it was sent with ({expected})")
    INITIATIVE_REF_MISSING = ("initiative-ref-missing", E, "row {row} has entries but no number; put back the number the row was sent with (I1 to I{last})")
    INITIATIVE_REF_DUPLICATE = ("initiative-ref-duplicate", E, "number {ref} is also in row {first}; put back the number this row was sent with (I1 to I{last})")
    INITIATIVE_TITLE_MISSING = ("initiative-title-missing", E, "initiative {ref} has entries but no title; name the initiative or project in the '{column}' column")
    INITIATIVE_ACTION_POINT_MISSING = ("initiative-action-point-missing", E, "initiative '{title}' has no action point; choose the one it relates to from the list")
    INITIATIVE_ACTION_POINT_UNKNOWN = ("initiative-action-point-unknown", E, "initiative '{title}': \"{text}\" is not an action point of the framework; choose the one it relates to from the list")
    INITIATIVE_STATUS_MISSING = ("initiative-status-missing", E, "initiative '{title}' has no status; choose one from the list: {choices}")
    INITIATIVE_DATES = ("initiative-dates", W, "initiative '{title}' ends ({end}) before it starts ({start}); check the dates")
    GOOD_PRACTICE_SUBJECT_MISSING = ("good-practice-subject-missing", E, "good practice '{title}' names no activity or initiative; choose the one it describes from the list in the '{column}' column")
    GOOD_PRACTICE_SUBJECT_UNKNOWN = ("good-practice-subject-unknown", E, "good practice '{title}': '{ref}' is neither an activity of this matrix nor an initiative; choose the one it describes from the list in the '{column}' column")
    GOOD_PRACTICE_INITIATIVE_MISSING = ("good-practice-initiative-missing", E, "good practice '{title}' describes initiative {ref}, which the sheet '{sheet_name}' does not list; list it there, or choose what the practice describes from the list in the '{column}' column")
    GOOD_PRACTICE_PART_MISSING = ("good-practice-part-missing", E, "good practice '{title}' has nothing in '{column}'; the compendium describes every practice in five parts (background and rationale, actors, actions, review; further information if any): fill it in")
    # --- store (matrix.store) ------------------------------------------------------------------
    PERIOD_NOT_COLLECTED = ("period-not-collected", E, "this return is for period {found}, not {expected}; collect it with --period {found} or without --period")
    VALUE_OVERLAP = ("value-overlap", W, "{country} {ref} ({period}): {other} says {theirs}, {counted} says {ours}; {counts} counts (a country's own return comes first, a regional workbook fills what it left blank)")
    HISTORY_UNAVAILABLE = ("history-unavailable", W, "the returns were not compared with earlier periods: {reason}; `matrix collect` compares them, so check what it says")
    STORE_PERIOD_UNUSABLE = ("store-period-unusable", W, "{count} accepted return(s) from {offices} are stored for period '{period}', which is not a {frequency} period of plan '{plan}' (an older matrix did not check the hidden period); they are left out of every command: ask those offices for fresh returns if the data is needed")
    STORE_VERSIONS_NOT_KEPT = ("store-versions-not-kept", W, "the plan version and the matrices generated were recorded in {folder} only: the store refused them ({reason}); the next `matrix collect` by someone who may write to the store copies them there")

    def __init__(self, slug: str, severity: Severity, template: str):
        self.slug = slug
        self.severity = severity
        self.template = template

    def message(self, **params: Any) -> str:
        return self.template.format(**params)

    def issue(
        self,
        *,
        file: str | None = None,
        line: int | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        value: Any = None,
        fix: str | None = None,
        **params: Any,
    ) -> Issue:
        return Issue(
            code=self.slug,
            severity=self.severity,
            message=self.message(**params),
            file=file,
            line=line,
            sheet=sheet,
            cell=cell,
            value=value,
            fix=fix,
        )


def did_you_mean(candidates: list[str]) -> str:
    """The '; did you mean ...?' tail of a message, empty when there is nothing to suggest."""
    if not candidates:
        return ""
    quoted = " or ".join(f"'{c}'" for c in candidates)
    return f"; did you mean {quoted}?"


def catalogue_markdown() -> str:
    """docs/issue-codes.md, kept equal to this catalogue by tests/test_codes.py."""
    lines = [
        "# Issue codes",
        "",
        "Every problem `matrix` reports has one of these stable codes. Errors block a plan or a return;",
        "warnings are for a person to read. Generated from `src/matrix/codes.py`; do not edit by hand.",
        "",
        "| code | severity | message |",
        "|---|---|---|",
    ]
    for code in Code:
        template = code.template.replace("|", "\\|")
        lines.append(f"| `{code.slug}` | {code.severity.value} | {template} |")
    return "\n".join(lines) + "\n"
