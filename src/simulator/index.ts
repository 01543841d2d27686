// The simulated OpenAI-compatible model server (tests and the demo only — never a real model).
export { startSimulator, type Simulator, type SimulatorCall, type StartSimulatorOptions } from "./server.js";
export { parseBank, parseBankYaml, loadBankFile, BankSchema, FaultSpecSchema, FAULT_MODES, type Bank, type BankInput, type Family, type FaultSpec, type FaultSpecInput, type FaultMode } from "./bank.js";
