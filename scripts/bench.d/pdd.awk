# Post-dial delay per call from a sipp -trace_msg log (microsecond timestamps): INVITE sent -> first final
# response (>= 200) to that INVITE received, in milliseconds, one line per call.
function flush() {
    if (cid == "") return
    if (dir == "S" && first ~ /^INVITE / && !(cid in start)) start[cid] = secs
    if (dir == "R" && first ~ /^SIP\/2\.0 [2-6][0-9][0-9] / && cseq ~ /INVITE/ && (cid in start) && !(cid in done)) {
        done[cid] = 1
        printf "%.3f\n", (secs - start[cid]) * 1000
    }
}
/^-----------+ [0-9-]+ [0-9:.]+$/ {
    flush()
    split($NF, t, ":"); secs = t[1] * 3600 + t[2] * 60 + t[3]
    dir = ""; first = ""; cid = ""; cseq = ""; want = 0
    next
}
/message sent/ { dir = "S"; want = 1; next }
/message received/ { dir = "R"; want = 1; next }
want && NF { first = $0; want = 0; next }
/^(Call-ID|i):/ { cid = $2; next }
/^CSeq:/ { cseq = $0; next }
END { flush() }
