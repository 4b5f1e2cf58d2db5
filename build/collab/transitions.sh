#!/bin/sh
# transitions.sh HOST < access.log > transitions.csv
#
# Counts how often readers went from one page of HOST to another in a web
# server's access log and prints from,to,count. It reads the combined log
# format (nginx's and Apache's default) and Caddy's JSON access log (its
# default; with jq installed), told apart by the first line. Only the pair
# of paths is kept: no address, no time, no user agent; the counts are
# aggregate. Successful GET requests whose Referer is a page of HOST (http
# or https), query and fragment removed, reloads dropped; requests for a
# page's own files (scripts, styles, images, fonts, data) dropped, since
# they carry the page as their Referer too; paths with a comma or quote are
# skipped.
set -eu
host=${1:?usage: transitions.sh HOST < access.log > transitions.csv}
IFS= read -r first || exit 0
{ printf '%s\n' "$first"; cat; } | case $first in
'{'*) # Caddy: each request as a combined-format line.
	jq -r 'select(.request.method != null) | "- - - [-] \"\(.request.method) \(.request.uri) \(.request.proto)\" \(.status) \(.size) \"\(.request.headers.Referer[0]? // "-")\" \"-\""' ;;
*) cat ;;
esac | awk -F'"' -v host="$host" '
{
	split($2, req, " "); split($3, st, " ")
	if (req[1] != "GET" || (st[1] != "200" && st[1] != "304")) next
	from = $4; to = req[2]
	if (sub(/^https?:\/\//, "", from) == 0 || index(from, host "/") != 1) next
	from = substr(from, length(host) + 1)
	sub(/[?#].*/, "", from); sub(/[?#].*/, "", to)
	if (tolower(to) ~ /\.(m?js|css|map|json|xml|txt|wasm|msgpack|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|otf|eot|mp[34]|webm|ogg|m4a)$/) next
	if (from == to || from ~ /[,"]/ || to ~ /[,"]/) next
	print from "," to
}' | sort | uniq -c | awk '{ print $2 "," $1 }'
