import { useState } from "react";
import { useParams } from "react-router";

import { call, tenantApi } from "../api";
import { Button, Confirm, Empty, ErrorBanner, PageHeader, Spinner, Table, Td, formatTime, stateBadge } from "../components/ui";
import { useLoad } from "../hooks";
import { useSession } from "../session";

export default function SigningKeys() {
  const { tenantId = "" } = useParams();
  const { can } = useSession();
  const client = tenantApi(tenantId);
  const keys = useLoad(() => call(client.GET("/api/v1/signingKeys")), tenantId);
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState(false);
  const list = keys.data?.signing_keys ?? [];
  return (
    <>
      <PageHeader title="Signing keys">
        {can("signing_keys:write") && <Button tone="primary" onClick={() => { setDone(false); setAsking(true); }}>Rotate keys</Button>}
      </PageHeader>
      <p className="mb-4 text-sm text-slate-700">Tokens are signed with the active key of each algorithm. After a rotation the previous key stays
        published until the tokens it signed have expired.</p>
      {done && <p role="status" className="mb-3 text-sm text-green-800">Keys rotated: new tokens are signed with the new keys.</p>}
      <ErrorBanner error={keys.error} onRetry={keys.reload} />
      {keys.loading && !keys.data ? <Spinner label="Loading keys…" /> : list.length === 0 ? <Empty>No signing keys yet: the first token creates them.</Empty> : (
        <Table caption="Signing keys" head={["Key id", "Algorithm", "State", "Created", "Retires", "Expires"]}>
          {list.map((k) => (
            <tr key={k.kid}>
              <Td className="font-mono text-xs">{k.kid}</Td>
              <Td>{k.algorithm}</Td>
              <Td>{stateBadge(k.state)}</Td>
              <Td>{formatTime(k.create_time)}</Td>
              <Td>{formatTime(k.retire_time)}</Td>
              <Td>{formatTime(k.expire_time)}</Td>
            </tr>
          ))}
        </Table>
      )}
      {asking && (
        <Confirm title="Rotate every signing key?" confirmLabel="Rotate keys"
          body="New keys are generated (this takes a few seconds); tokens already issued stay valid until they expire."
          onClose={() => setAsking(false)}
          onConfirm={async () => {
            await call(client.POST("/api/v1/signingKeys:rotate", { body: {} }));
            setDone(true);
            keys.reload();
          }} />
      )}
    </>
  );
}
