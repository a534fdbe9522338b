# bash completion for promptasm.  Installed by `make install`.
# Options come from `promptasm COMMAND --help`, agent names from
# `promptasm agents`, tokenizer names from `promptasm tokenizers`, so
# this file never goes stale.

_promptasm_commands="build agents context check explain trim count tokenize tokenizers compile-tokenizer"

_promptasm()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$_promptasm_commands --help --version" -- "$cur"))
		return
	fi
	case $prev in
	-t|--tokenizer)
		COMPREPLY=($(compgen -W "$(promptasm tokenizers 2>/dev/null | grep -v '^ ')" -- "$cur"))
		return ;;
	-f|--format)
		COMPREPLY=($(compgen -W "$(promptasm "$cmd" --help 2>/dev/null |
			sed -n 's/.*--format FORMAT *\(.*\)/\1/p' | tr -c 'a-z0-9\n-' ' ' |
			sed 's/\<default\>//; s/\<or\>//')" -- "$cur"))
		return ;;
	-o|--output|--memory-template|--managed-file|--for-file|--baseline)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-C|--project)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(promptasm "$cmd" --help 2>/dev/null |
			grep -o -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
		return
	fi
	case $cmd in
	build|explain|check)
		COMPREPLY=($(compgen -W "$(promptasm agents -q 2>/dev/null |
			awk 'NR > 1 { print $1 }')" -- "$cur") $(compgen -f -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _promptasm promptasm
