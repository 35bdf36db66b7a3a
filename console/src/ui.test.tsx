import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { stateBadge } from "./components/ui";

describe("stateBadge", () => {
  it.each([
    ["TENANT_STATE_ACTIVE", "active", "green"],
    ["TENANT_STATE_SUSPENDED", "suspended", "red"],
    ["ADMIN_USER_STATE_ACTIVE", "active", "green"],
    ["ADMIN_USER_STATE_DISABLED", "disabled", "red"],
    ["API_KEY_STATE_REVOKED", "revoked", "red"],
    ["SIGNING_KEY_STATE_RETIRED", "retired", "amber"],
    [undefined, "unknown", "amber"],
  ])("shows %s as %s (%s)", (state, words, tone) => {
    render(<>{stateBadge(state)}</>);
    expect(screen.getByText(words).className).toContain(`bg-${tone}-100`);
  });
});
