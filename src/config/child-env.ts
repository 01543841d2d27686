// Environment for git child processes that need an extra variable (a private GIT_INDEX_FILE).
// Kept in src/config because it is the one place allowed to read process.env. Only what git
// needs to find itself and the user's configuration is passed on: simple-git refuses to run
// with variables such as EDITOR, GIT_SSH_COMMAND or GIT_CONFIG_GLOBAL set explicitly; the private-
// index commands (read-tree, update-index, write-tree) need none of them.

const PASSED = ["PATH", "HOME", "XDG_CONFIG_HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"];

/** PATH, HOME and git's configuration variables from the environment, plus `extra` (extra wins). */
export function gitChildEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of PASSED) {
    const v = process.env[k];
    if (v !== undefined) out[k] = v;
  }
  return { ...out, ...extra };
}
