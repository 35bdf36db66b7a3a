import type { ReactNode } from "react";

import "./globals.css";

export const metadata = { title: "BinoAuth Next.js example" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header>
          <a href="/">BinoAuth Next.js example</a>
          <a href="/account">Account</a>
        </header>
        {children}
      </body>
    </html>
  );
}
