export { loadConfig, type Config, type LoadConfigOptions } from "./load-config.js";
export { CONFIG_KEYS, type ConfigKey } from "./keys.js";
export { gitChildEnv } from "./child-env.js";
