#!/bin/sh
# transitions.sh HOST < access.log > transitions.csv
#
# Counts how often readers went from one page of HOST to another in a web
# server's access log (combined log format, nginx's and Apache's default)
# and prints from,to,count. Only the pair of paths is kept: no address, no
# time, no user agent; the counts are aggregate. Successful GET requests
# whose Referer is a page of HOST (http or https), query and fragment
# removed, reloads dropped; paths with a comma or quote are skipped.
set -eu
host=${1:?usage: transitions.sh HOST < access.log > transitions.csv}
awk -F'"' -v host="$host" '
{
	split($2, req, " "); split($3, st, " ")
	if (req[1] != "GET" || (st[1] != "200" && st[1] != "304")) next
	from = $4; to = req[2]
	if (sub(/^https?:\/\//, "", from) == 0 || index(from, host "/") != 1) next
	from = substr(from, length(host) + 1)
	sub(/[?#].*/, "", from); sub(/[?#].*/, "", to)
	if (from == to || from ~ /[,"]/ || to ~ /[,"]/) next
	print from "," to
}' | sort | uniq -c | awk '{ print $2 "," $1 }'
