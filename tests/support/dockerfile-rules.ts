// The rules the project's Dockerfile must keep (a static check: no Docker engine runs here). hadolint is not packaged
// for Debian 12, so the checks are the ones this image needs, read from the Dockerfile's own instructions.

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
}

/** Instructions with their continuation lines joined and comments dropped, grouped by stage (`FROM`). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = lines[i]!.trim();
      line = `${line.slice(0, -1).trimEnd()} ${next.startsWith('#') ? '' : next}`;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const instruction = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: start };
    if (instruction.keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args);
      stages.push({ base: from?.[1] ?? '', name: from?.[2], instructions: [instruction] });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

const isDependencyInstall = (i: Instruction) => i.keyword === 'RUN' && /\bnpm\s+(ci|install)\b/.test(i.args);
const setsProductionEnv = (i: Instruction) => (i.keyword === 'ENV' || i.keyword === 'ARG') && /\bNODE_ENV[= ]\s*"?production/.test(i.args);

/** Every rule the Dockerfile breaks, as readable sentences (empty: it keeps them all). */
export function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const stages = parseDockerfile(text);
  if (stages.length < 2) return [`a multi-stage build is required (found ${stages.length} stage${stages.length === 1 ? '' : 's'})`];
  const all = stages.flatMap((s) => s.instructions);

  for (const i of all) {
    if (i.keyword === 'RUN' && /\|\|\s*(true|:)(\s|;|$)/.test(i.args)) problems.push(`line ${i.line}: "|| true" hides a failing step: ${i.args}`);
  }

  const build = stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /scripts\/build\.mjs|npm run build/.test(i.args)));
  if (!build) problems.push('no stage runs the production build (scripts/build.mjs or npm run build)');
  else {
    const install = build.instructions.findIndex(isDependencyInstall);
    if (install < 0) problems.push(`the build stage (${build.name ?? 'unnamed'}) installs no dependencies`);
    const earlyProduction = build.instructions.slice(0, install < 0 ? undefined : install).find(setsProductionEnv);
    if (earlyProduction) problems.push(`line ${earlyProduction.line}: NODE_ENV=production before the build stage's dependency install drops the build tools`);
    const buildInstall = build.instructions[install];
    if (buildInstall && /--omit[= ]dev|--production\b|--only[= ]prod/.test(buildInstall.args)) problems.push(`line ${buildInstall.line}: the build stage must install dev dependencies`);
  }

  const runtime = stages.at(-1)!;
  if (runtime === build) problems.push('the last (runtime) stage must not be the build stage');
  const users = runtime.instructions.filter((i) => i.keyword === 'USER');
  const lastUser = users.at(-1)?.args.trim().split(':')[0];
  if (!lastUser || lastUser === 'root' || lastUser === '0') problems.push('the runtime stage must run as a non-root USER');
  const installs = runtime.instructions.filter(isDependencyInstall);
  if (installs.some((i) => !/--omit[= ]dev|--production\b|--only[= ]prod/.test(i.args))) problems.push('the runtime stage installs dev dependencies');
  const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK');
  if (!healthcheck || /^NONE\b/i.test(healthcheck.args)) problems.push('the runtime stage has no HEALTHCHECK');
  if (runtime.instructions.some((i) => i.keyword === 'COPY' && /^\.\s/.test(i.args.replace(/^--\S+\s+/g, '')))) problems.push('the runtime stage copies the whole source tree');
  if (build?.name && !runtime.instructions.some((i) => i.keyword === 'COPY' && new RegExp(`--from=${build.name}\\b`).test(i.args))) problems.push('the runtime stage takes nothing from the build stage');
  const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT').at(-1);
  if (!cmd) problems.push('the runtime stage has no CMD');
  else if (/\btsx\b|\.ts\b/.test(cmd.args)) problems.push(`line ${cmd.line}: the runtime starts TypeScript (${cmd.args})`);
  return problems;
}
