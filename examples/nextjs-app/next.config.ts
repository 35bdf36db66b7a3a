import type { NextConfig } from "next";

const config: NextConfig = {
  // @binoauth/nextjs is linked from ../../sdks/nextjs: trace files from the repository root.
  outputFileTracingRoot: new URL("../..", import.meta.url).pathname,
};

export default config;
