// When a job (recurring run) fires next, computed in the page from its trigger, as the
// ScheduledWorkflow controller computes it. The API does not report the controller's last
// trigger time, so the newest `scheduled_at` among the job's runs stands in for it.
//
// Cron expressions follow robfig/cron v1.2.0, which KFP uses: 6 fields with seconds first
// (`second minute hour day-of-month month day-of-week`), or 5 (the same without
// day-of-week), `*`, `?`, numbers, names, ranges, steps and lists, and the descriptors
// `@yearly` ... `@hourly` and `@every <duration>`. Cron times are evaluated in UTC.

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

const DESCRIPTORS = {
  "@yearly": "0 0 0 1 1 *",
  "@annually": "0 0 0 1 1 *",
  "@monthly": "0 0 0 1 * *",
  "@weekly": "0 0 0 * * 0",
  "@daily": "0 0 0 * * *",
  "@midnight": "0 0 0 * * *",
  "@hourly": "0 0 * * * *",
};

const DURATION_UNITS = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

function parseValue(text, field) {
  const lower = text.toLowerCase();
  const named = field.names ? field.names.indexOf(lower) : -1;
  if (named >= 0) return named + (field.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(text)) throw new Error(`bad number ${JSON.stringify(text)}`);
  return Number(text);
}

function parseField(text, field) {
  const allowed = new Set();
  let star = false;
  for (const part of text.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new Error(`too many slashes: ${part}`);
    let start;
    let end;
    if (range === "*" || range === "?") {
      [start, end] = [field.min, field.max];
      star = stepText === undefined;
    } else {
      const bounds = range.split("-");
      if (bounds.length > 2) throw new Error(`too many hyphens: ${part}`);
      start = parseValue(bounds[0], field);
      end =
        bounds.length === 2
          ? parseValue(bounds[1], field)
          : stepText === undefined
            ? start
            : field.max;
    }
    const step = stepText === undefined ? 1 : parseValue(stepText, { min: 0 });
    if (start < field.min || end > field.max || start > end || step < 1) {
      throw new Error(`out of range: ${part}`);
    }
    for (let value = start; value <= end; value += step) allowed.add(value);
  }
  return { allowed, star };
}

/** Milliseconds of a Go duration such as `1h30m` or `90s`. */
function parseGoDuration(text) {
  let total = 0;
  let rest = text;
  while (rest) {
    const match = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match) throw new Error(`bad duration ${JSON.stringify(text)}`);
    total += Number(match[1]) * DURATION_UNITS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** A parsed cron schedule with `next(ms)`: the first tick strictly after `ms`. */
export function parseCron(expression) {
  let text = expression.trim();
  if (text.startsWith("@every ")) {
    const every = Math.max(1000, Math.ceil(parseGoDuration(text.slice(7).trim()) / 1000) * 1000);
    return { next: (ms) => Math.floor(ms / 1000) * 1000 + every };
  }
  if (text.startsWith("@")) {
    if (!(text in DESCRIPTORS)) throw new Error(`unknown descriptor ${text}`);
    text = DESCRIPTORS[text];
  }
  const parts = text.split(/\s+/);
  if (parts.length === 5) parts.push("*");
  if (parts.length !== 6) throw new Error(`expected 5 or 6 fields, found ${parts.length}`);
  const [second, minute, hour, dom, month, dow] = parts.map((part, i) =>
    parseField(part, FIELDS[i]),
  );
  const dayMatches = (d) => {
    const inMonth = dom.allowed.has(d.getUTCDate());
    const inWeek = dow.allowed.has(d.getUTCDay());
    return dom.star || dow.star ? inMonth && inWeek : inMonth || inWeek;
  };
  return {
    next(ms) {
      const t = new Date(Math.floor(ms / 1000) * 1000 + 1000);
      const limit = t.getTime() + 5 * 366 * 86400000;
      while (t.getTime() < limit) {
        if (!month.allowed.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hour.allowed.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minute.allowed.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else if (!second.allowed.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
        } else {
          return t.getTime();
        }
      }
      return null;
    },
  };
}

const ms = (text) => {
  if (!text) return null;
  const value = Date.parse(text);
  return Number.isNaN(value) || value <= 0 ? null : value;
};

/** How the job's trigger reads: `every 1h`, `cron 0 0 * * * *`, or `once`. */
export function describeTrigger(trigger) {
  const periodic = trigger && trigger.periodic_schedule;
  const cron = trigger && trigger.cron_schedule;
  if (periodic) return `every ${formatInterval(Number(periodic.interval_second || 0))}`;
  if (cron) return `cron ${cron.cron || ""}`;
  return "once";
}

function formatInterval(seconds) {
  const units = [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  const parts = [];
  let rest = seconds;
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ") || "0s";
}

/**
 * The next fire time of `job` at `now` (ms), given the newest `scheduled_at` of its runs
 * (`lastRun`, ms or null): `{at: ms}` or `{at: null, why: "..."}`.
 */
export function nextFireTime(job, lastRun, now) {
  if (!job.enabled) return { at: null, why: "disabled" };
  const trigger = job.trigger || {};
  const created = ms(job.created_at) || now;
  const schedule = trigger.periodic_schedule || trigger.cron_schedule;
  if (!schedule) return lastRun === null ? { at: created } : { at: null, why: "fired once" };
  const start = ms(schedule.start_time);
  const end = ms(schedule.end_time);
  const base = lastRun !== null ? lastRun : start !== null ? start : created;
  let next;
  if (trigger.periodic_schedule) {
    const interval = Number(schedule.interval_second || 0) * 1000;
    if (interval < 1000) return { at: null, why: "bad interval" };
    next = start !== null && start > base ? start : base + interval;
    if (end !== null && end < next) return { at: null, why: "ended" };
    if (job.no_catchup && now >= next + interval) next = end !== null && end < now ? end : now;
    return { at: next };
  }
  let cron;
  try {
    cron = parseCron(schedule.cron || "");
  } catch (error) {
    return { at: null, why: `bad cron: ${error.message}` };
  }
  next = cron.next(start !== null ? Math.max(base, start) : base);
  if (next === null || (end !== null && end < next)) return { at: null, why: "ended" };
  if (job.no_catchup && next <= now) {
    next = latestTick(cron, next - 1000, end !== null ? Math.min(now, end) : now) || next;
  }
  return { at: next };
}

/** The latest tick in (after, limit], or null: widening windows back from `limit`, so a
 * long backlog of a dense schedule is not walked tick by tick. */
function latestTick(cron, after, limit) {
  for (let width = 1000; ; width *= 2) {
    const from = Math.max(after, limit - width);
    let tick = cron.next(from);
    if (tick !== null && tick <= limit) {
      for (
        let later = cron.next(tick);
        later !== null && later <= limit;
        later = cron.next(later)
      ) {
        tick = later;
      }
      return tick;
    }
    if (from === after) return null;
  }
}
