/**
 * Lines that carry an event's words without being the event (log-signatures-catalog.md §12): a
 * shell prompt or command pasted into a bundle (`user@node:~$ journalctl … | grep "Slow SQL"`), a
 * search whose pattern is the phrase (`grep -c 'failed to renew lease' kubelite.log`), and flag help
 * text (`      --leader-elect-renew-deadline duration   The interval …`). Checked on the innermost
 * message, so a journald or CRI wrapper does not hide a prompt.
 */
const PROMPT = /^(?:\S*[@:]\S*[$#] |\$ |# |> |PS [^>]*> )/;
const SEARCH = /\b(?:grep|egrep|fgrep|rg|ag|awk|sed|select-string|findstr)\b[^|]*?(?:"[^"]*"|'[^']*')/i;
const FLAG_HELP = /^\s+(?:-\w, )?--?[a-z][\w.-]*(?:=\S+)?(?: [a-z][\w.]*)?\s{2,}\S/;

export function isNearMiss(text: string): boolean {
  // SEARCH needs a quoted pattern: without a quote character the regex need not run.
  return (
    PROMPT.test(text) ||
    ((text.includes('"') || text.includes("'")) && SEARCH.test(text)) ||
    FLAG_HELP.test(text)
  );
}
