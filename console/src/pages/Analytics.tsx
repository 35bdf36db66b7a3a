import { useState } from "react";

import { api, call, type Analytics as AnalyticsData } from "../api";
import { LineChart, type Series } from "../components/charts";
import { Button, ErrorBanner, PageHeader, Spinner } from "../components/ui";
import { useLoad } from "../hooks";

type Range = "24h" | "7d" | "30d" | "custom";
const COLORS = ["#4338ca", "#b91c1c", "#047857", "#b45309", "#7c3aed", "#0e7490"];

export interface Window {
  start: string;
  end: string;
  granularity: "HOUR" | "DAY";
}

/** The API query of a range: 24 h by the hour, longer ranges by the UTC day. */
export function windowOf(range: Range, now: Date, from?: string, to?: string): Window {
  const hour = 3600_000;
  if (range === "custom" && from && to) {
    const end = new Date(`${to}T00:00:00Z`).getTime() + 24 * hour;
    return { start: new Date(`${from}T00:00:00Z`).toISOString(), end: new Date(end).toISOString(), granularity: "DAY" };
  }
  const days = range === "30d" ? 30 : 7;
  if (range === "24h") return { start: new Date(now.getTime() - 24 * hour).toISOString(), end: now.toISOString(), granularity: "HOUR" };
  return { start: new Date(now.getTime() - days * 24 * hour).toISOString(), end: now.toISOString(), granularity: "DAY" };
}

const n = (v: string | undefined) => Number(v ?? "0");

export function chartsOf(data: AnalyticsData): { labels: string[]; charts: { title: string; series: Series[]; bars?: boolean }[] } {
  const buckets = data.buckets ?? [];
  const hourly = data.granularity === "HOUR";
  const labels = buckets.map((b) => {
    const d = new Date(b.start_time ?? "");
    return hourly ? `${String(d.getUTCHours()).padStart(2, "0")}:00` : `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
  });
  const grants = [...new Set(buckets.flatMap((b) => Object.keys(b.tokens_issued ?? {})))].sort();
  return {
    labels,
    charts: [
      { title: "Sign-ins", series: [
        { label: "Succeeded", color: COLORS[0] ?? "", values: buckets.map((b) => n(b.sign_ins_succeeded)) },
        { label: "Failed", color: COLORS[1] ?? "", values: buckets.map((b) => n(b.sign_ins_failed)) },
      ] },
      { title: "Active users and sign-ups", series: [
        { label: "Active users", color: COLORS[2] ?? "", values: buckets.map((b) => n(b.active_users)) },
        { label: "Sign-ups", color: COLORS[4] ?? "", values: buckets.map((b) => n(b.sign_ups)) },
      ] },
      { title: "Tokens issued by grant type", bars: true, series: grants.map((g, i) => ({
        label: g.replace("urn:ietf:params:oauth:grant-type:", ""), color: COLORS[i % COLORS.length] ?? "",
        values: buckets.map((b) => n(b.tokens_issued?.[g])),
      })) },
      { title: "Lockouts and rate-limited requests", bars: true, series: [
        { label: "Lockouts", color: COLORS[3] ?? "", values: buckets.map((b) => n(b.lockouts)) },
        { label: "Rate-limited", color: COLORS[5] ?? "", values: buckets.map((b) => n(b.rate_limited)) },
      ] },
    ],
  };
}

export default function Analytics({ tenantId }: { tenantId: string }) {
  const [range, setRange] = useState<Range>("7d");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [applied, setApplied] = useState<{ range: Range; from: string; to: string }>({ range: "7d", from: "", to: "" });
  const data = useLoad(() => {
    const w = windowOf(applied.range, new Date(), applied.from, applied.to);
    const query = { start_time: w.start, end_time: w.end, granularity: w.granularity };
    return tenantId
      ? call(api.GET("/api/v1/tenants/{tenant_id}/analytics", { params: { path: { tenant_id: tenantId }, query } }))
      : call(api.GET("/api/v1/analytics", { params: { query: { ...query, tenant_id: "" } } }));
  }, `${tenantId}|${JSON.stringify(applied)}`);
  const totals = data.data?.totals;
  const tokens = Object.values(totals?.tokens_issued ?? {}).reduce((a, v) => a + n(v), 0);
  const view = data.data ? chartsOf(data.data) : null;
  return (
    <>
      <PageHeader title={tenantId ? `Analytics: ${tenantId}` : "Platform analytics"} />
      <form className="mb-4 flex flex-wrap items-end gap-2" aria-label="Time range" onSubmit={(e) => {
        e.preventDefault();
        setApplied({ range, from, to });
      }}>
        {(["24h", "7d", "30d", "custom"] as const).map((r) => (
          <Button key={r} type={r === "custom" ? "button" : "submit"} tone={range === r ? "primary" : "secondary"} aria-pressed={range === r}
            onClick={() => setRange(r)}>{r === "custom" ? "Custom" : `Last ${r}`}</Button>
        ))}
        {range === "custom" && <>
          <label className="text-sm">From <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} className="rounded-md border border-slate-400 px-2 py-1" /></label>
          <label className="text-sm">To <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} className="rounded-md border border-slate-400 px-2 py-1" /></label>
          <Button type="submit" tone="primary">Apply</Button>
        </>}
      </form>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.loading && !data.data && <Spinner label="Loading analytics…" />}
      {totals && (
        <dl className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4" data-totals>
          {([["Sign-ins", totals.sign_ins_succeeded], ["Failed sign-ins", totals.sign_ins_failed], ["Sign-ups", totals.sign_ups],
            ["Active users", totals.active_users], ["Monthly active users", totals.monthly_active_users], ["Tokens issued", String(tokens)],
            ["Lockouts", totals.lockouts], ["Rate-limited", totals.rate_limited]] as const).map(([k, v]) => (
            <div key={k} className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
              <dt className="text-xs text-slate-600">{k}</dt><dd className="text-xl font-semibold" data-total={k}>{n(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {view && <div className="grid gap-x-4 xl:grid-cols-2">
        {view.charts.map((c) => <LineChart key={c.title} title={c.title} labels={view.labels} series={c.series} bars={c.bars} />)}
      </div>}
    </>
  );
}
