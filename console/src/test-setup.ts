import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

import { install, reset } from "./test-fetch";

install();
window.scrollTo = () => undefined;

afterEach(() => {
  cleanup();
  reset();
  localStorage.clear();
  sessionStorage.clear();
});
