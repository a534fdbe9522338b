# fish completion for promptasm.  Installed by `make install`.  Options
# come from `promptasm COMMAND --help`, agent names from `promptasm agents`.

set -l commands build agents context check explain trim count tokenize tokenizers compile-tokenizer
complete -c promptasm -f
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a build -d 'print the system prompt an agent really receives'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a agents -d 'list the agents found'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a context -d 'show the main session part by part'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a check -d 'fail when a prompt is over its budget'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a explain -d 'show where the tokens go'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a trim -d 'cut a file to a token budget'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a count -d 'count tokens, like wc'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a tokenize -d 'show the tokens of a text'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a tokenizers -d 'list the tokenizers'
complete -c promptasm -n "not __fish_seen_subcommand_from $commands" -a compile-tokenizer -d 'build a mapped rank table'

function __promptasm_options
	set -l cmd (commandline -opc)[2]
	promptasm $cmd --help 2>/dev/null | string match -r -a -- '--[a-z][a-z0-9-]*' | sort -u
end
function __promptasm_agents
	promptasm agents -q 2>/dev/null | awk 'NR > 1 { print $1 }'
end
complete -c promptasm -n "__fish_seen_subcommand_from $commands; and string match -q -- '-*' (commandline -ct)" -a '(__promptasm_options)'
complete -c promptasm -n '__fish_seen_subcommand_from build explain check' -a '(__promptasm_agents)'
complete -c promptasm -n '__fish_seen_subcommand_from build explain check trim count tokenize' -F
complete -c promptasm -l tokenizer -s t -x -a '(promptasm tokenizers 2>/dev/null | string match -v -r "^ ")'
complete -c promptasm -l project -s C -x -a '(__fish_complete_directories)'
