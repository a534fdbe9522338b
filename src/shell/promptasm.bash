# bash completion for promptasm, generated from the option tables the
# parser reads by `promptasm completions bash` (make completions): do not
# edit.  Installed by `make install` and the Debian package.

# Adds the arguments that begin with $cur to COMPREPLY (no expansion).
_promptasm_add()
{
	local w
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

# Adds the names promptasm lists: tokenizers, models or agents.
_promptasm_values()
{
	local IFS=$'\n'
	_promptasm_add $(command promptasm completions --values "$1" \
		${project:+-C} ${project:+"$project"} 2>/dev/null)
}

_promptasm()
{
	local cur prev cmd= project= i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C|--project) project=${COMP_WORDS[i+1]} ;;
		-*) ;;
		*) [[ -z $cmd ]] && cmd=${COMP_WORDS[i]} ;;
		esac
	done
	case $cmd in
	'')
		_promptasm_add build agents context check explain trim count tokenize tokenizers compile-tokenizer --help --version
		return ;;
	build)
		case $prev in
		-f|--format)
			_promptasm_add text json anthropic anthropic-count openai
			return ;;
		-o|--output)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--message)
			return ;;
		--max-tokens)
			return ;;
		--api-model)
			_promptasm_values models
			return ;;
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-C|--project)
			COMPREPLY+=($(compgen -d -- "$cur"))
			return ;;
		--managed-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--for-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--memory-template)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		-b|--budget)
			return ;;
		--margin)
			return ;;
		--reserve)
			return ;;
		--floor)
			return ;;
		--cap)
			return ;;
		--keep)
			_promptasm_add head tail
			return ;;
		--priority)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --format -f --output -o --message --max-tokens --cache --api-model --tokenizer -t --model -m --quiet -q --help -h --no-config --project -C --no-managed --managed-file --no-user --no-ancestors --approve-imports --no-auto-memory --for-file --memory-template --budget -b --margin --reserve --trim-body --floor --cap --keep --priority
			return
		fi
		_promptasm_values agents
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	agents)
		case $prev in
		-f|--format)
			_promptasm_add text json
			return ;;
		-C|--project)
			COMPREPLY+=($(compgen -d -- "$cur"))
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --format -f --listing --project -C --quiet -q --help -h --no-config --no-auto-memory
			return
		fi
		;;
	context)
		case $prev in
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-C|--project)
			COMPREPLY+=($(compgen -d -- "$cur"))
			return ;;
		--managed-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--for-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--memory-template)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		-f|--format)
			_promptasm_add text json markdown html
			return ;;
		--mcp-tools)
			return ;;
		--top)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --tokenizer -t --model -m --quiet -q --help -h --no-config --project -C --no-managed --managed-file --no-user --no-ancestors --approve-imports --no-auto-memory --for-file --memory-template --format -f --mcp-tools --top
			return
		fi
		;;
	check)
		case $prev in
		-f|--format)
			_promptasm_add text json github markdown junit html
			return ;;
		--baseline)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--baseline-dir)
			COMPREPLY+=($(compgen -d -- "$cur"))
			return ;;
		--max-growth)
			return ;;
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-C|--project)
			COMPREPLY+=($(compgen -d -- "$cur"))
			return ;;
		--managed-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--for-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--memory-template)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		-b|--budget)
			return ;;
		--margin)
			return ;;
		--reserve)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --format -f --budget-context --budget-prompt --strict --skip-invalid --baseline --baseline-dir --max-growth --affected --allow-no-agents --tokenizer -t --model -m --quiet -q --help -h --no-config --project -C --no-managed --managed-file --no-user --no-ancestors --approve-imports --no-auto-memory --for-file --memory-template --budget -b --margin --reserve
			return
		fi
		_promptasm_values agents
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	explain)
		case $prev in
		-f|--format)
			_promptasm_add text json html
			return ;;
		--top)
			return ;;
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-C|--project)
			COMPREPLY+=($(compgen -d -- "$cur"))
			return ;;
		--managed-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--for-file)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--memory-template)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		-b|--budget)
			return ;;
		--margin)
			return ;;
		--reserve)
			return ;;
		--floor)
			return ;;
		--cap)
			return ;;
		--keep)
			_promptasm_add head tail
			return ;;
		--priority)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --format -f --top --tokenizer -t --model -m --quiet -q --help -h --no-config --project -C --no-managed --managed-file --no-user --no-ancestors --approve-imports --no-auto-memory --for-file --memory-template --budget -b --margin --reserve --trim-body --floor --cap --keep --priority
			return
		fi
		_promptasm_values agents
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	trim)
		case $prev in
		-o|--output)
			COMPREPLY+=($(compgen -f -- "$cur"))
			return ;;
		--name)
			return ;;
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-b|--budget)
			return ;;
		--margin)
			return ;;
		--reserve)
			return ;;
		--floor)
			return ;;
		--cap)
			return ;;
		--keep)
			_promptasm_add head tail
			return ;;
		--priority)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --output -o --name --lossy --tokenizer -t --model -m --quiet -q --help -h --no-config --budget -b --margin --reserve --trim-body --floor --cap --keep --priority
			return
		fi
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	count)
		case $prev in
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-j|--jobs)
			return ;;
		-f|--format)
			_promptasm_add text json
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --tokenizer -t --model -m --lossy --jobs -j --format -f --quiet -q --help -h
			return
		fi
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	tokenize)
		case $prev in
		-t|--tokenizer)
			_promptasm_values tokenizers
			return ;;
		-m|--model)
			_promptasm_values models
			return ;;
		-f|--format)
			_promptasm_add text json
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --tokenizer -t --model -m --ids --pieces --lossy --format -f --quiet -q --help -h
			return
		fi
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	tokenizers)
		case $prev in
		-f|--format)
			_promptasm_add text json
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_promptasm_add --format -f --help -h
			return
		fi
		;;
	compile-tokenizer)
		if [[ $cur == -* ]]; then
			_promptasm_add --help -h
			return
		fi
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	esac
}
complete -F _promptasm promptasm
