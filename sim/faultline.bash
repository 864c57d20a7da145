# faultline.bash - bash completion for faultline: commands, their options,
# models (along the search path the line gives), scenarios of the library,
# a scenario's named schedules.  Everything is asked of faultline itself
# (help, models, scenarios, show, COMMAND --help), so it never goes stale.
# Installed to $(PREFIX)/share/bash-completion/completions/faultline.

_faultline() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd= scn= i w
	local -a fl=(faultline)

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--models) fl+=(--models "${COMP_WORDS[i+1]}"); ((i++)) ;;
		--models=*) fl+=("$w") ;;
		-m|--model|-s|--schedule|--json|--trail|--junit|--results|\
		--jobs|-j|--seed|--random|--pct|--states-max|--depth-max|\
		--time-max|--memory-max|--shard|--swarm|--cpus|--costs|--widen|--csv|--ops) ((i++)) ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $scn ]]; then scn=$w; fi ;;
		esac
	done
	case $prev in
	-m|--model)
		COMPREPLY=($(compgen -W "$("${fl[@]}" models 2>/dev/null |
			awk '{ print $1 }')" -- "$cur"))
		[[ $cur == */* || $cur == .* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
		return ;;
	-s|--schedule)
		COMPREPLY=($(compgen -W "$("${fl[@]}" show "$scn" 2>/dev/null |
			sed -n '/^schedules$/,/^expectations$/{ /^  /p }' |
			awk '{ print $1 }')" -- "$cur"))
		return ;;
	--models|--results)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--json|--trail|--junit|-o|--output|--csv)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--costs)
		COMPREPLY=($(compgen -W "$("${fl[@]}" perf --list-costs 2>/dev/null)" \
			-- "$cur") $(compgen -f -- "$cur"))
		return ;;
	esac
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$("${fl[@]}" help 2>/dev/null |
			awk '/^commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }')
			--models --version --help" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("${fl[@]}" "$cmd" --help 2>/dev/null |
			grep -oE -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
		return
	fi
	case $cmd in
	run|explore|export|perf|show)
		COMPREPLY=($(compgen -W "$("${fl[@]}" scenarios 2>/dev/null |
			awk '{ print $1 }')" -- "$cur") $(compgen -f -- "$cur"))
		[[ $cmd == show ]] && COMPREPLY+=($(compgen -W "$("${fl[@]}" \
			models 2>/dev/null | awk '{ print $1 }')" -- "$cur")) ;;
	diff)
		COMPREPLY=($(compgen -W "$("${fl[@]}" models 2>/dev/null |
			awk '{ print $1 }')" -- "$cur") $(compgen -f -- "$cur")) ;;
	help)
		COMPREPLY=($(compgen -W "$("${fl[@]}" help 2>/dev/null |
			awk '/^commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 }')" \
			-- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _faultline faultline
