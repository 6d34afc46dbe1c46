# Attributes MONITOR's "[0 lua]" lines to the FCALL line before them; prints inner commands per call of each function.
{
  c=$4; gsub(/"/,"",c); c=toupper(c)
  if ($3=="lua]") { if (fn!="") { inner[fn]+=1; cmd[fn" "c]+=1 } ; next }
  if (c=="FCALL") { fn=$5; gsub(/"/,"",fn); calls[fn]+=1 } else { fn=""; top[c]+=1 }
}
END {
  for (f in calls) printf "%s calls=%d inner/call=%.2f\n", f, calls[f], inner[f]/calls[f]
  for (k in cmd) { split(k,a," "); if (a[1]=="colony_task_claim"||a[1]=="colony_task_complete"||a[1]=="colony_task_submit") printf "  %s %.3f\n", k, cmd[k]/calls[a[1]] }
  for (t in top) printf "top %s %d\n", t, top[t]
}
