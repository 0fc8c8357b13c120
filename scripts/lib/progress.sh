# shellcheck shell=bash
# Progress reporting for long, chatty build steps; sourced by scripts/ensure-pulumi.sh.
#
# A step's own output (stdout and stderr) goes to a log file. stderr gets one line when the step
# starts, a heartbeat while it runs ("<phase>... 120s so far", every TOOLCHAIN_HEARTBEAT_SECONDS,
# default 30), one line when it ends and, if it fails, the last TOOLCHAIN_LOG_TAIL_LINES (default
# 30) lines of the log and the log's path. Nothing is written to stdout.
#
#   progress_start <log>          start a fresh log (truncated) for the run_logged calls that follow
#   run_logged "<phase>" cmd...   run cmd (a program or a shell function) with its output in the
#                                 log; returns cmd's exit status. A function runs with `set -e`
#                                 off (it is on the left of `||`), so chain its commands with &&.
#   progress_stop                 stop the heartbeat if one runs; call it from the caller's EXIT
#                                 trap too, so an interrupted step leaves no background process.
#
# How the heartbeat stops: it is a background loop (a process substitution) that waits on a pipe
# whose only writer is this shell's file descriptor 9, printing a line each time the wait times
# out. progress_stop closes fd 9, so the loop sees end-of-file and exits at once; if this shell
# dies in any way (even SIGKILL) the kernel closes fd 9 and the loop exits all the same. No
# signals are sent and no sleep child exists, so nothing can be left behind or hold a pipe open.
# The step itself runs with fd 9 closed. (fd 9 is reserved while a step runs.)
#
# Safe under `set -euo pipefail`.

_progress_log=""
_progress_hb_open=""
_progress_hb_pid=""

_progress_say() { printf '[toolchain] %s\n' "$*" >&2; }

progress_start() { # <log file>
  _progress_log="$1"
  mkdir -p "$(dirname "$_progress_log")"
  : >"$_progress_log"
}

progress_stop() {
  [ -n "$_progress_hb_open" ] || return 0
  _progress_hb_open=""
  exec 9>&-
  if [ -n "$_progress_hb_pid" ]; then # wait for the loop to be gone (bash >= 4.4 can)
    wait "$_progress_hb_pid" 2>/dev/null || true
    _progress_hb_pid=""
  fi
}

_progress_heartbeat() { # <phase> <start, in $SECONDS> <interval>; stdin: the pipe from fd 9
  local phase="$1" t0="$2" every="$3" rc
  while :; do
    rc=0
    read -r -t "$every" _ || rc=$?
    [ "$rc" -gt 128 ] || return 0 # not a timeout: end of file (or a stray line): stop
    _progress_say "$phase... $(( SECONDS - t0 ))s so far"
  done
}

run_logged() { # "<phase>" cmd...
  local phase="$1"; shift
  local every="${TOOLCHAIN_HEARTBEAT_SECONDS:-30}" tail_lines="${TOOLCHAIN_LOG_TAIL_LINES:-30}"
  local t0=$SECONDS rc=0 took
  case "$every" in ''|*[!0-9]*|0) every=30 ;; esac
  case "$tail_lines" in ''|*[!0-9]*) tail_lines=30 ;; esac
  if [ -z "$_progress_log" ]; then
    _progress_say "run_logged: call progress_start <log> first"
    return 2
  fi
  progress_stop
  _progress_say "$phase"
  printf '\n==> %s  %s\n$ %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$phase" "$*" >>"$_progress_log"
  exec 9> >(_progress_heartbeat "$phase" "$t0" "$every" >/dev/null)
  _progress_hb_open=1
  if [ "${BASH_VERSINFO[0]}" -gt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -ge 4 ]; }; then
    _progress_hb_pid=$!
  fi
  "$@" </dev/null >>"$_progress_log" 2>&1 9>&- || rc=$?
  progress_stop
  took=$(( SECONDS - t0 ))
  if [ "$rc" -eq 0 ]; then
    printf '<== %s: done in %ss\n' "$phase" "$took" >>"$_progress_log"
    _progress_say "$phase: done in ${took}s"
    return 0
  fi
  _progress_say "$phase: failed (exit $rc) after ${took}s; the last $tail_lines lines of $_progress_log:"
  tail -n "$tail_lines" "$_progress_log" | sed 's/^/    /' >&2 || true
  printf '<== %s: FAILED (exit %s) after %ss\n' "$phase" "$rc" "$took" >>"$_progress_log"
  _progress_say "full log: $_progress_log"
  return "$rc"
}
