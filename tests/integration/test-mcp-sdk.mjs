// test-mcp-sdk.mjs — the official MCP SDK's client (@modelcontextprotocol/sdk)
// talking to `tiktok-drafts-cli mcp` over stdio. test-mcp-sdk.py installs
// the SDK, starts the emulator, signs in, runs this from the SDK's folder and
// checks what it reports: one JSON object on stdout.
//
//   node test-mcp-sdk.mjs CLI VIDEO
//
// SPDX-License-Identifier: GPL-3.0-or-later

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [cli, video] = process.argv.slice(2);
const report = {};

// The SDK passes only a few variables on by default; the server needs the
// session's (D-Bus, XDG directories) and the emulator's.
const transport = new StdioClientTransport({
  command: cli,
  args: ["mcp"],
  env: { ...process.env },
  stderr: "inherit",
});
const client = new Client({ name: "ttd-sdk-test", version: "1.0.0" });

async function attempt(what, fn) {
  try {
    report[what] = { ok: true, value: await fn() };
  } catch (error) {
    report[what] = { ok: false, code: error.code ?? null, message: String(error.message ?? error) };
  }
}

await attempt("connect", async () => {
  await client.connect(transport);
  return {
    server: client.getServerVersion(),
    capabilities: client.getServerCapabilities(),
    instructions: client.getInstructions(),
  };
});

if (report.connect.ok) {
  await attempt("listTools", async () => (await client.listTools()).tools);
  await attempt("ping", async () => client.ping());
  await attempt("listAccounts", async () => client.callTool({ name: "list_accounts", arguments: {} }));

  const progress = [];
  await attempt("sendVideo", async () =>
    client.callTool({ name: "send_video", arguments: { path: video } }, undefined, {
      timeout: 240000,
      resetTimeoutOnProgress: true,
      onprogress: (p) => progress.push(p),
    }));
  report.progress = progress;

  const publishId = report.sendVideo.ok ? report.sendVideo.value.structuredContent?.publish_id : null;
  await attempt("draftStatus", async () =>
    client.callTool({ name: "draft_status", arguments: { publish_id: publishId ?? "" } }));
  await attempt("listQueue", async () => client.callTool({ name: "list_queue", arguments: {} }));
  await attempt("missingFile", async () =>
    client.callTool({ name: "send_video", arguments: { path: video + ".missing" } }));
  await attempt("wrongType", async () =>
    client.callTool({ name: "send_video", arguments: { path: ["not", "a", "string"] } }));
  await attempt("unknownTool", async () => client.callTool({ name: "post_directly", arguments: {} }));
  await attempt("unknownMethod", async () => client.listResources());
}

await client.close();
process.stdout.write(JSON.stringify(report) + "\n");
