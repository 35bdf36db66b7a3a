import { useState } from "react";
import { useParams, useSearchParams } from "react-router";

import { call, tenantApi } from "../api";
import { Button, Empty, ErrorBanner, Field, PageHeader, Pager, Spinner, Table, Td, fieldError, formatTime } from "../components/ui";
import { usePaged } from "../hooks";

const TYPES = ["SIGNED_UP", "EMAIL_VERIFIED", "LOGIN_SUCCEEDED", "LOGIN_FAILED", "MFA_FAILED", "LOGGED_OUT",
  "PASSWORD_CHANGED", "PASSWORD_RESET", "EMAIL_CHANGED", "PHONE_VERIFIED", "MFA_ENABLED", "MFA_DISABLED", "USER_CREATED",
  "USER_UPDATED", "USER_DELETED", "USER_DISABLED", "USER_ENABLED", "USER_UNLOCKED", "USER_MFA_RESET", "REFRESH_TOKEN_REUSED",
  "AUTHORIZATION_CODE_REUSED", "CONSENT_GRANTED", "CONSENT_REVOKED", "CLIENT_AUTH_FAILED"];

/** A ``datetime-local`` value (the browser's time zone) as the RFC 3339 instant the API wants;
 * "" stays "" (no bound) and so does a value the browser could not parse. */
export function instantOf(local: string): string {
  if (!local) return "";
  const when = new Date(local);
  return Number.isNaN(when.getTime()) ? "" : when.toISOString();
}

/** The other way: an RFC 3339 instant shown in a ``datetime-local`` input, in local time. */
export function localOf(instant: string): string {
  const when = new Date(instant);
  if (!instant || Number.isNaN(when.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(when.getFullYear())}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

export default function Events() {
  const { tenantId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const type = params.get("type") ?? "";
  const userId = params.get("user_id") ?? "";
  const [typedUser, setTypedUser] = useState(userId);
  const [typedType, setTypedType] = useState(type);
  // The time range: RFC 3339 in the URL and the API call, local time in the inputs.
  const start = params.get("start_time") ?? "";
  const end = params.get("end_time") ?? "";
  const [typedStart, setTypedStart] = useState(localOf(start));
  const [typedEnd, setTypedEnd] = useState(localOf(end));
  const events = usePaged(async (token) => {
    const r = await call(tenantApi(tenantId).GET("/api/v1/events", { params: { query: {
      type, user_id: userId, page_size: 25, page_token: token, ...(start ? { start_time: start } : {}), ...(end ? { end_time: end } : {}) } } }));
    return { items: r.events ?? [], next: r.next_page_token ?? "" };
  }, `${tenantId}|${type}|${userId}|${start}|${end}`);
  const rangeFields = ["start_time", "end_time"];
  return (
    <>
      <PageHeader title="Security events">
        <Button onClick={events.reload}>Refresh</Button>
      </PageHeader>
      <form className="mb-3 flex flex-wrap items-end gap-3" onSubmit={(e) => {
        e.preventDefault();
        const next: Record<string, string> = {};
        if (typedType) next.type = typedType;
        if (typedUser) next.user_id = typedUser;
        if (instantOf(typedStart)) next.start_time = instantOf(typedStart);
        if (instantOf(typedEnd)) next.end_time = instantOf(typedEnd);
        setParams(next);
      }}>
        <label className="mb-3 text-sm">Type
          <input list="event-types" value={typedType} onChange={(e) => setTypedType(e.target.value.toUpperCase())}
            className="ml-2 rounded-md border border-slate-400 px-2 py-1 text-sm" name="type" />
          <datalist id="event-types">{TYPES.map((t) => <option key={t} value={t} />)}</datalist>
        </label>
        <label className="mb-3 text-sm">User id
          <input value={typedUser} onChange={(e) => setTypedUser(e.target.value)} name="user_id"
            className="ml-2 rounded-md border border-slate-400 px-2 py-1 text-sm" />
        </label>
        <Field label="From" name="start_time" error={events.error}>
          {(p) => <input {...p} type="datetime-local" value={typedStart} onChange={(e) => setTypedStart(e.target.value)} />}
        </Field>
        <Field label="To" name="end_time" error={events.error}>
          {(p) => <input {...p} type="datetime-local" value={typedEnd} onChange={(e) => setTypedEnd(e.target.value)} />}
        </Field>
        <Button className="mb-3" type="submit">Apply filters</Button>
      </form>
      {/* A bad or inverted time is shown next to its input (details.field), anything else here. */}
      {!rangeFields.some((f) => fieldError(events.error, f)) && <ErrorBanner error={events.error} onRetry={events.reload} />}
      {events.loading && !events.data ? <Spinner label="Loading events…" /> : (events.data?.items.length ?? 0) === 0 ? (
        <Empty>No events{type || userId || start || end ? " match these filters" : " yet"}.</Empty>
      ) : (
        <Table caption="Security events" head={["Time", "Type", "User", "IP address", "Details"]}>
          {events.data?.items.map((ev) => (
            <tr key={ev.event_id}>
              <Td className="whitespace-nowrap">{formatTime(ev.create_time)}</Td>
              <Td className="font-mono text-xs">{ev.type}</Td>
              <Td className="font-mono text-xs">{ev.user_id}</Td>
              <Td>{ev.ip_address}</Td>
              <Td className="max-w-md text-xs break-all">{ev.details ? JSON.stringify(ev.details) : ""}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={events.page} hasNext={!!events.data?.next} onPrev={events.prev} onNext={events.next} />
    </>
  );
}
