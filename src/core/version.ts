/** The one version string: CLI --version, the agent's build info and journal, SARIF's tool.driver.version. */
export const VERSION = '0.1.0';
