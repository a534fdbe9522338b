# The values run-consistency.sh compares, from the outputs of one case,
# as shell assignments (`b_tokens='432'` lines) for it to eval:
#
#   jq -n -r --arg agent NAME --arg work DIR --rawfile build B.json \
#      --rawfile explain E.json --rawfile check C.json \
#      --rawfile agents A.json --rawfile text B.txt -f values.jq
#
# Prefixes: b_ build, e_ explain, c_ check (its entry for the agent),
# a_ agents.  Every value is a string: scalars as they are (null as
# "null"), arrays and objects as compact JSON with sorted keys.  `shape`
# lists what the documented schema (version 1) has and the output lacks,
# so a missing key fails its own check instead of reading as null;
# `json` is false when the output is not JSON at all.

def canon: walk(if type == "object" then to_entries | sort_by(.key) | from_entries else . end);
def str: if type == "string" then . else canon | tojson end;
# f, or null when f gives nothing or fails (a budget that is a number).
def opt(f): [f?] | .[0];
def parse: try fromjson catch null;
def is_json: try (fromjson | true) catch false;

# The keys of $keys that . lacks, named from $where.
def lacks($where; $keys):
	if type != "object" then ["\($where) is \(type), not an object"]
	else . as $o | [$keys[] | select(. as $k | $o | has($k) | not) | "\($where).\(.)"]
	end;
def each_lacks($where; $keys):
	if type != "array" then ["\($where) is \(type), not an array"]
	else [.[] | lacks("\($where)[]"; $keys)[]] | unique
	end;
# lacks, for a key that may be absent (its absence is reported once).
def sub_lacks($key; $keys): if type == "object" and has($key) and .[$key] != null then .[$key] | lacks(".\($key)"; $keys) else [] end;
def sub_each_lacks($key; $keys): if type == "object" and has($key) then .[$key] | each_lacks(".\($key)"; $keys) else [] end;
def version_2: if type == "object" and has("version") and .version != 2 then [".version is \(.version | tojson), not 2"] else [] end;
def budget_keys: ["budget", "effective", "reserve", "margin", "tokens_before", "tokens_after", "fits", "missing"];
def warning_keys: ["path", "line", "message"];
def claude_code_keys: ["version", "model", "estimate", "figures", "tokens", "own_tokens", "components", "tools", "notes"];

# Section paths as the cases write them: the work directory as $WORK;
# absolute paths outside it (a CLAUDE.md above the temporary directory,
# say) are left out: the machine's business, not the test's.
def shown:
	if type != "string" then tojson
	elif startswith($work + "/") then "$WORK" + .[($work | length):]
	else . end;
def outside: type == "string" and startswith("/") and (startswith($work + "/") | not);
def sections: if type == "object" and (.sections | type) == "array" then .sections else [] end;
def kinds_paths: [sections[] | select(.path | outside | not) | "\(.kind):\(.path | shown)"] | join(" ");
def detail: [sections[] | {kind, path, depth, imported_by, load_cut}];
def section_tokens: [sections[] | .tokens];
def budget4: if type == "object" then {budget, effective, reserve, margin} else . end;

def assign($name; $value): "\($name)=\($value | str | @sh)";

def build_values($raw):
	($raw | parse) as $j |
	(if $j | type == "object" then $j else {} end) as $o |
	assign("b_json"; $raw | is_json),
	assign("b_shape"; $j | (lacks(""; ["version", "agent", "tokenizer", "exact", "tokens", "budget", "sections", "warnings", "prompt"])
		+ version_2
		+ sub_lacks("agent"; ["name", "path", "frontmatter"])
		+ sub_each_lacks("sections"; ["kind", "path", "depth", "imported_by", "bytes", "lines", "tokens", "load_cut"])
		+ sub_lacks("budget"; budget_keys)
		+ sub_each_lacks("warnings"; warning_keys)) | join(", ")),
	assign("b_tokenizer"; $o.tokenizer),
	assign("b_exact"; $o.exact),
	assign("b_tokens"; $o.tokens),
	assign("b_path"; opt($o.agent.path)),
	assign("b_secs"; $o | kinds_paths),
	assign("b_detail"; $o | detail),
	assign("b_sectok"; $o | section_tokens),
	assign("b_budget"; $o.budget),
	assign("b_effective"; opt($o.budget.effective)),
	assign("b_prompt_is_text"; $o.prompt == $text);

def explain_values($raw):
	($raw | parse) as $j |
	(if $j | type == "object" then $j else {} end) as $o |
	assign("e_json"; $raw | is_json),
	assign("e_shape"; $j | (lacks(""; ["version", "agent", "tokenizer", "exact", "tokens", "budget", "sections", "warnings", "claude_code", "heaviest"])
		+ version_2
		+ sub_lacks("agent"; ["name", "path"])
		+ sub_lacks("claude_code"; claude_code_keys)
		+ sub_each_lacks("sections"; ["kind", "path", "depth", "imported_by", "tokens", "share", "load_cut", "priority", "trimmable", "blocks", "action", "reason", "tokens_after", "blocks_removed", "cut_inside", "marker"])
		+ sub_lacks("budget"; budget_keys)
		+ sub_each_lacks("warnings"; warning_keys)) | join(", ")),
	assign("e_tokenizer"; $o.tokenizer),
	assign("e_exact"; $o.exact),
	assign("e_tokens"; $o.tokens),
	assign("e_path"; opt($o.agent.path)),
	assign("e_secs"; $o | kinds_paths),
	assign("e_detail"; $o | detail),
	assign("e_sectok"; $o | section_tokens),
	assign("e_budget"; $o.budget),
	assign("e_budget4"; $o.budget | budget4),
	assign("e_effective"; opt($o.budget.effective)),
	assign("e_before"; opt($o.budget.tokens_before)),
	assign("e_after"; opt($o.budget.tokens_after)),
	assign("e_cc"; $o.claude_code),
	assign("e_cc_tokens"; opt($o.claude_code.tokens));

def check_values($raw):
	($raw | parse) as $j |
	([$j | opt(.agents) | arrays | .[] | select(type == "object" and .name == $agent)] | first) as $a |
	assign("c_json"; $raw | is_json),
	assign("c_shape"; $j | (lacks(""; ["version", "agents", "files", "warnings", "summary", "status"])
		+ version_2
		+ sub_each_lacks("agents"; ["name", "path", "tokenizer", "exact", "tokens", "budget", "percent", "status", "scope", "prompt_tokens", "context_window", "context_share", "claude_code", "sections"])
		+ ($a | sub_lacks("claude_code"; claude_code_keys) | map(".agents[]" + .))
		+ ($a | sub_lacks("budget"; ["budget", "effective", "reserve", "margin"]) | map(".agents[]" + .))
		+ ($a | sub_each_lacks("sections"; ["kind", "path", "tokens"]) | map(".agents[]" + .))
		+ sub_each_lacks("warnings"; warning_keys)
		+ (if type == "object" and (.agents | type) == "array" and $a == null then ["no entry in .agents for \($agent)"] else [] end)) | join(", ")),
	assign("c_tokenizer"; $a.tokenizer),
	assign("c_exact"; $a.exact),
	assign("c_tokens"; $a.tokens),
	assign("c_prompt_tokens"; $a.prompt_tokens),
	assign("c_scope"; $a.scope),
	assign("c_cc"; $a.claude_code),
	assign("c_path"; $a.path),
	assign("c_secs"; $a | kinds_paths),
	assign("c_sectok"; $a | section_tokens),
	assign("c_budget4"; $a.budget | budget4),
	assign("c_effective"; opt($a.budget.effective)),
	assign("c_status"; $a.status);

def agents_values($raw):
	($raw | parse) as $j |
	assign("a_json"; $raw | is_json),
	assign("a_shape"; $j | (lacks(""; ["version", "agents", "warnings"])
		+ version_2
		+ sub_each_lacks("agents"; ["name", "description", "model", "memory", "path", "source", "wins"])
		+ sub_each_lacks("warnings"; warning_keys)) | join(", ")),
	assign("a_path"; [$j | opt(.agents) | arrays | .[] | select(type == "object" and .name == $agent and .wins == true) | .path] | first);

build_values($build), explain_values($explain), check_values($check), agents_values($agents)
