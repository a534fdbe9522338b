#!/bin/sh
# A stdio MCP server for the tests of --trust, one JSON-RPC message a
# line, in sh (no network, no node).  $1 says how it behaves:
#   good     instructions and three tools, over two pages of tools/list
#   plain    two tools, no instructions
#   noisy    logs to stdout and asks the client something before answering
#   silent   reads everything, answers nothing
#   flood    answers initialize with an endless line
#   exits    exits at once
#   forks    answers, but leaves a child sleeping with stdout open
# $2 (optional) names the server in its tools' descriptions.
mode=${1:-good}
name=${2:-docs}
case $mode in
exits) exit 3 ;;
silent) cat >/dev/null; exit 0 ;;
esac
[ "$mode" = forks ] && { sleep 1000 & }
while IFS= read -r line; do
	id=$(printf '%s' "$line" | sed -nE 's/^\{"jsonrpc":"2\.0","id":("[^"]*"|[0-9]+).*/\1/p;s/.*"id":([0-9]+)\}$/\1/p' | head -n 1)
	[ -n "$id" ] || continue
	case $line in
	*'"method":"initialize"'*)
		if [ "$mode" = flood ]; then
			printf '{"jsonrpc":"2.0","id":%s,"result":{"instructions":"' "$id"
			yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | tr -d '\n'
		fi
		if [ "$mode" = noisy ]; then
			echo "starting the $name server"
			printf '{"jsonrpc":"2.0","id":"s1","method":"roots/list"}\n'
		fi
		instr=
		[ "$mode" = good ] || [ "$mode" = forks ] &&
			instr=',"instructions":"Search before you get; ids are case sensitive.\nPages are in Markdown."'
		printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"%s","version":"1.0.0"}%s}}\n' "$id" "$name" "$instr" ;;
	*'"method":"tools/list"'*'"cursor":"page2"'*)
		printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"list_pages","description":"List the pages of the %s","inputSchema":{"type":"object","properties":{}}}]}}\n' "$id" "$name" ;;
	*'"method":"tools/list"'*)
		next=
		[ "$mode" = good ] && next=',"nextCursor":"page2"'
		printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"search","description":"Search the %s","inputSchema":{"type":"object","properties":{"query":{"type":"string","description":"What to find"}},"required":["query"]}},{"name":"get","description":"Get a page of the %s by id","inputSchema":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}]%s}}\n' "$id" "$name" "$name" "$next" ;;
	*)
		printf '{"jsonrpc":"2.0","id":%s,"result":{}}\n' "$id" ;;
	esac
done
