# cdp.sh - drives headless Chromium through its DevTools pipe, for the
# screenshots and the measurements of the HTML reports (screenshots.sh,
# measure.sh) without npm: messages are JSON ended by a NUL byte, written
# to Chromium's fd 3 and read from its fd 4, built and read with jq.
# Source it from bash.  CHROMIUM names the browser (default chromium).
#
#   cdp_start 1280 900; cdp_open file:///tmp/report.html
#   cdp_eval 'document.title'; cdp_shot out.png 0 0 1280 900; cdp_stop

cdp_id=0
cdp_session=

# cdp_start WIDTH HEIGHT: a browser with a window of that size.
cdp_start() {
	cdp_dir=$(mktemp -d)
	mkfifo "$cdp_dir/in" "$cdp_dir/out"
	# --no-sandbox: root in a container has no sandbox to give.
	"${CHROMIUM:-chromium}" --headless=new --no-sandbox --disable-gpu \
		--no-first-run --no-default-browser-check --disable-extensions \
		--hide-scrollbars --user-data-dir="$cdp_dir/profile" \
		--window-size="$1,$2" --remote-debugging-pipe about:blank \
		3<"$cdp_dir/in" 4>"$cdp_dir/out" 2>"$cdp_dir/log" &
	cdp_pid=$!
	exec 5>"$cdp_dir/in" 6<"$cdp_dir/out"
}

# cdp_call METHOD [PARAMS]: sends a command (to the page once one is
# open) and prints its result; events met on the way are dropped.
cdp_call() {
	cdp_id=$((cdp_id + 1))
	jq -cn --argjson id "$cdp_id" --arg m "$1" --argjson p "${2:-{\}}" \
		--arg s "$cdp_session" \
		'{id: $id, method: $m, params: $p} + (if $s == "" then {} else {sessionId: $s} end)' |
		tr -d '\n' >&5
	printf '\0' >&5
	while IFS= read -r -d '' cdp_msg <&6; do
		if [ "$(printf '%s' "$cdp_msg" | jq -r '.id // empty')" = "$cdp_id" ]; then
			printf '%s' "$cdp_msg" | jq -c '.result // .error'
			return 0
		fi
	done
	return 1
}

# cdp_wait EVENT: reads messages until that event.
cdp_wait() {
	while IFS= read -r -d '' cdp_msg <&6; do
		[ "$(printf '%s' "$cdp_msg" | jq -r '.method // empty')" = "$1" ] && return 0
	done
	return 1
}

# cdp_open URL: a new page at URL, once it has loaded.
cdp_open() {
	cdp_session=
	target=$(cdp_call Target.createTarget '{"url":"about:blank"}' | jq -r .targetId)
	cdp_session=$(cdp_call Target.attachToTarget \
		"{\"targetId\":\"$target\",\"flatten\":true}" | jq -r .sessionId)
	cdp_call Page.enable >/dev/null
	cdp_call Page.navigate "$(jq -cn --arg u "$1" '{url: $u}')" >/dev/null
	cdp_wait Page.loadEventFired
}

# cdp_eval EXPR: the value of EXPR (a promise is awaited), as JSON.
cdp_eval() {
	cdp_call Runtime.evaluate "$(jq -cn --arg e "$1" \
		'{expression: $e, awaitPromise: true, returnByValue: true}')" |
		jq -c '.result.value'
}

# cdp_shot FILE X Y WIDTH HEIGHT: a PNG of that part of the page (page
# coordinates), which must be in the window: a capture beyond it lays out
# the whole page at once, and text the browser lays out only when in view
# (content-visibility) is not there yet.
cdp_shot() {
	cdp_call Page.captureScreenshot "$(jq -cn --argjson x "$2" --argjson y "$3" \
		--argjson w "$4" --argjson h "$5" \
		'{format: "png", clip: {x: $x, y: $y, width: $w, height: $h, scale: 1}}')" |
		jq -r .data | base64 -d >"$1"
}

cdp_stop() {
	cdp_session=
	cdp_call Browser.close >/dev/null
	exec 5>&- 6<&-
	wait "$cdp_pid"
	rm -rf "$cdp_dir"
}
