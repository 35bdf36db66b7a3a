import { useState } from "react";

import { api, call, type Tenant } from "../api";
import { Button, Confirm } from "../components/ui";

/** Suspend or resume, each confirmed; delete is the caller's (it needs the typed id). */
export function TenantActions({ tenant, onChanged, onDelete }: { tenant: Tenant; onChanged: () => void; onDelete: () => void }) {
  const [asking, setAsking] = useState<"suspend" | "resume" | null>(null);
  const id = tenant.tenant_id ?? "";
  const suspended = tenant.state === "TENANT_STATE_SUSPENDED";
  return (
    <div className="flex flex-wrap gap-2">
      {suspended
        ? <Button onClick={() => setAsking("resume")}>Resume</Button>
        : <Button onClick={() => setAsking("suspend")}>Suspend</Button>}
      <Button tone="danger" onClick={onDelete}>Delete</Button>
      {asking && (
        <Confirm title={`${asking === "suspend" ? "Suspend" : "Resume"} tenant ${id}?`}
          confirmLabel={asking === "suspend" ? "Suspend tenant" : "Resume tenant"}
          body={asking === "suspend"
            ? "Its users cannot sign in and its tokens stop working until the tenant is resumed."
            : "Its users can sign in again."}
          onClose={() => setAsking(null)}
          onConfirm={async () => {
            if (asking === "suspend") {
              await call(api.POST("/api/v1/tenants/{tenant_id}:suspend", { params: { path: { tenant_id: id } }, body: {} }));
            } else {
              await call(api.POST("/api/v1/tenants/{tenant_id}:resume", { params: { path: { tenant_id: id } }, body: {} }));
            }
            onChanged();
          }} />
      )}
    </div>
  );
}
