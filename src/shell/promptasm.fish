# fish completion for promptasm, generated from the option tables the
# parser reads by `promptasm completions fish` (make completions): do not
# edit.  Installed by `make install` and the Debian package.

# The names promptasm lists: tokenizers, models or agents.
function __promptasm_values
	set -l words (commandline -opc)
	set -l project
	for i in (seq (count $words))
		if contains -- $words[$i] -C --project; and test $i -lt (count $words)
			set project -C $words[(math $i + 1)]
		end
	end
	command promptasm completions --values $argv[1] $project 2>/dev/null
end

complete -c promptasm -f
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a build -d 'print the system prompt an agent really receives'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a agents -d 'list the agents found and which definition wins'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a context -d 'show what the main session'\''s first request holds'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a check -d 'fail when a prompt is over its budget (for CI)'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a explain -d 'show where the tokens of a prompt go'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a trim -d 'cut a text or Markdown file to a token budget'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a count -d 'count the tokens of files, like wc'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a tokenize -d 'show the tokens of a text'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a tokenizers -d 'list the tokenizers and the models they serve'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -a compile-tokenizer -d 'build the mapped rank table of a tokenizer (run by make)'
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -l help
complete -c promptasm -n 'not __fish_seen_subcommand_from build agents context check explain trim count tokenize tokenizers compile-tokenizer' -l version

complete -c promptasm -n '__fish_seen_subcommand_from build' -s f -l format -x -a 'text json anthropic anthropic-count openai'
complete -c promptasm -n '__fish_seen_subcommand_from build' -s o -l output -r -F
complete -c promptasm -n '__fish_seen_subcommand_from build' -l message -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l max-tokens -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l cache
complete -c promptasm -n '__fish_seen_subcommand_from build' -l api-model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from build' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from build' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from build' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from build' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from build' -l no-config
complete -c promptasm -n '__fish_seen_subcommand_from build' -s C -l project -x -a '(__fish_complete_directories (commandline -ct))'
complete -c promptasm -n '__fish_seen_subcommand_from build' -l no-managed
complete -c promptasm -n '__fish_seen_subcommand_from build' -l managed-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from build' -l no-user
complete -c promptasm -n '__fish_seen_subcommand_from build' -l no-ancestors
complete -c promptasm -n '__fish_seen_subcommand_from build' -l approve-imports
complete -c promptasm -n '__fish_seen_subcommand_from build' -l no-auto-memory
complete -c promptasm -n '__fish_seen_subcommand_from build' -l for-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from build' -l memory-template -r -F
complete -c promptasm -n '__fish_seen_subcommand_from build' -s b -l budget -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l margin -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l reserve -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l trim-body
complete -c promptasm -n '__fish_seen_subcommand_from build' -l floor -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l cap -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -l keep -x -a 'head tail'
complete -c promptasm -n '__fish_seen_subcommand_from build' -l priority -x
complete -c promptasm -n '__fish_seen_subcommand_from build' -a '(__promptasm_values agents)'
complete -c promptasm -n '__fish_seen_subcommand_from build' -F

complete -c promptasm -n '__fish_seen_subcommand_from agents' -s f -l format -x -a 'text json'
complete -c promptasm -n '__fish_seen_subcommand_from agents' -l listing
complete -c promptasm -n '__fish_seen_subcommand_from agents' -s C -l project -x -a '(__fish_complete_directories (commandline -ct))'
complete -c promptasm -n '__fish_seen_subcommand_from agents' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from agents' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from agents' -l no-config
complete -c promptasm -n '__fish_seen_subcommand_from agents' -l no-auto-memory

complete -c promptasm -n '__fish_seen_subcommand_from context' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from context' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from context' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from context' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from context' -l no-config
complete -c promptasm -n '__fish_seen_subcommand_from context' -s C -l project -x -a '(__fish_complete_directories (commandline -ct))'
complete -c promptasm -n '__fish_seen_subcommand_from context' -l no-managed
complete -c promptasm -n '__fish_seen_subcommand_from context' -l managed-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from context' -l no-user
complete -c promptasm -n '__fish_seen_subcommand_from context' -l no-ancestors
complete -c promptasm -n '__fish_seen_subcommand_from context' -l approve-imports
complete -c promptasm -n '__fish_seen_subcommand_from context' -l no-auto-memory
complete -c promptasm -n '__fish_seen_subcommand_from context' -l for-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from context' -l memory-template -r -F
complete -c promptasm -n '__fish_seen_subcommand_from context' -s f -l format -x -a 'text json markdown html'
complete -c promptasm -n '__fish_seen_subcommand_from context' -l mcp-tools -x
complete -c promptasm -n '__fish_seen_subcommand_from context' -l top -x

complete -c promptasm -n '__fish_seen_subcommand_from check' -s f -l format -x -a 'text json github markdown junit html'
complete -c promptasm -n '__fish_seen_subcommand_from check' -l budget-context
complete -c promptasm -n '__fish_seen_subcommand_from check' -l budget-prompt
complete -c promptasm -n '__fish_seen_subcommand_from check' -l strict
complete -c promptasm -n '__fish_seen_subcommand_from check' -l skip-invalid
complete -c promptasm -n '__fish_seen_subcommand_from check' -l baseline -r -F
complete -c promptasm -n '__fish_seen_subcommand_from check' -l baseline-dir -x -a '(__fish_complete_directories (commandline -ct))'
complete -c promptasm -n '__fish_seen_subcommand_from check' -l max-growth -x
complete -c promptasm -n '__fish_seen_subcommand_from check' -l affected
complete -c promptasm -n '__fish_seen_subcommand_from check' -l allow-no-agents
complete -c promptasm -n '__fish_seen_subcommand_from check' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from check' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from check' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from check' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from check' -l no-config
complete -c promptasm -n '__fish_seen_subcommand_from check' -s C -l project -x -a '(__fish_complete_directories (commandline -ct))'
complete -c promptasm -n '__fish_seen_subcommand_from check' -l no-managed
complete -c promptasm -n '__fish_seen_subcommand_from check' -l managed-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from check' -l no-user
complete -c promptasm -n '__fish_seen_subcommand_from check' -l no-ancestors
complete -c promptasm -n '__fish_seen_subcommand_from check' -l approve-imports
complete -c promptasm -n '__fish_seen_subcommand_from check' -l no-auto-memory
complete -c promptasm -n '__fish_seen_subcommand_from check' -l for-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from check' -l memory-template -r -F
complete -c promptasm -n '__fish_seen_subcommand_from check' -s b -l budget -x
complete -c promptasm -n '__fish_seen_subcommand_from check' -l margin -x
complete -c promptasm -n '__fish_seen_subcommand_from check' -l reserve -x
complete -c promptasm -n '__fish_seen_subcommand_from check' -a '(__promptasm_values agents)'
complete -c promptasm -n '__fish_seen_subcommand_from check' -F

complete -c promptasm -n '__fish_seen_subcommand_from explain' -s f -l format -x -a 'text json html'
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l top -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from explain' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from explain' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from explain' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l no-config
complete -c promptasm -n '__fish_seen_subcommand_from explain' -s C -l project -x -a '(__fish_complete_directories (commandline -ct))'
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l no-managed
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l managed-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l no-user
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l no-ancestors
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l approve-imports
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l no-auto-memory
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l for-file -r -F
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l memory-template -r -F
complete -c promptasm -n '__fish_seen_subcommand_from explain' -s b -l budget -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l margin -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l reserve -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l trim-body
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l floor -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l cap -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l keep -x -a 'head tail'
complete -c promptasm -n '__fish_seen_subcommand_from explain' -l priority -x
complete -c promptasm -n '__fish_seen_subcommand_from explain' -a '(__promptasm_values agents)'
complete -c promptasm -n '__fish_seen_subcommand_from explain' -F

complete -c promptasm -n '__fish_seen_subcommand_from trim' -s o -l output -r -F
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l name -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l lossy
complete -c promptasm -n '__fish_seen_subcommand_from trim' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from trim' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from trim' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from trim' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l no-config
complete -c promptasm -n '__fish_seen_subcommand_from trim' -s b -l budget -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l margin -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l reserve -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l trim-body
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l floor -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l cap -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l keep -x -a 'head tail'
complete -c promptasm -n '__fish_seen_subcommand_from trim' -l priority -x
complete -c promptasm -n '__fish_seen_subcommand_from trim' -F

complete -c promptasm -n '__fish_seen_subcommand_from count' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from count' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from count' -l lossy
complete -c promptasm -n '__fish_seen_subcommand_from count' -s j -l jobs -x
complete -c promptasm -n '__fish_seen_subcommand_from count' -s f -l format -x -a 'text json'
complete -c promptasm -n '__fish_seen_subcommand_from count' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from count' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from count' -F

complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -s t -l tokenizer -x -a '(__promptasm_values tokenizers)'
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -s m -l model -x -a '(__promptasm_values models)'
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -l ids
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -l pieces
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -l lossy
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -s f -l format -x -a 'text json'
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -s q -l quiet
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from tokenize' -F

complete -c promptasm -n '__fish_seen_subcommand_from tokenizers' -s f -l format -x -a 'text json'
complete -c promptasm -n '__fish_seen_subcommand_from tokenizers' -s h -l help

complete -c promptasm -n '__fish_seen_subcommand_from compile-tokenizer' -s h -l help
complete -c promptasm -n '__fish_seen_subcommand_from compile-tokenizer' -F
