// The slate's countdown to the next lock (pickvs/pages/slate.py `Countdown`): the words
// rx.moment's filter used to give, without moment.js (~68 KB). The component mounts only once
// the state holds a lock time, in the browser, so its first render may read the clock.
import { useEffect, useState } from "react";

// Minutes are the finest step, so a screen reader hears at most one change a minute from the
// polite live region around it.
export function countdownText(left) {
  if (!(left > 0)) return "A game just locked: refresh for the latest.";
  if (left < 60) return "Next lock in under a minute";
  const d = Math.floor(left / 86400), h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  return "Next lock in " + (d ? d + "d " + h + "h" : h ? h + "h " + m + "m" : m + "m");
}

export function Countdown({ until }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  // Whole seconds left, cut toward zero as moment's diff did.
  const left = Math.trunc((Date.parse(until) - now) / 1000);
  return <span>{countdownText(left)}</span>;
}
