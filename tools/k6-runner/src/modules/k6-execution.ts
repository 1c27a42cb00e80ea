// The `k6/execution` module: which VU, which iteration, which scenario, and test.abort().
import { abortTest, currentVu, state } from '../runtime';
import { strictModule } from '../unsupported';

const vu = strictModule('k6/execution.vu', {
  get idInTest() {
    return currentVu().id;
  },
  get idInInstance() {
    return currentVu().id;
  },
  get iterationInInstance() {
    return currentVu().iterationInInstance;
  },
  get iterationInScenario() {
    return currentVu().iterationInScenario;
  },
});

const scenario = strictModule('k6/execution.scenario', {
  get name() {
    return currentVu().scenario?.name ?? '';
  },
  get executor() {
    return currentVu().scenario?.executor ?? '';
  },
  get startTime() {
    return currentVu().scenario?.startTime ?? 0;
  },
  get iterationInTest() {
    return currentVu().scenario?.iterationInTest ?? 0;
  },
});

const instance = strictModule('k6/execution.instance', {
  get vusActive() {
    return state.vusActive;
  },
  get vusInitialized() {
    return state.vusMax;
  },
  get currentTestRunDuration() {
    return Date.now() - state.startedAt;
  },
});

const test = strictModule('k6/execution.test', {
  abort(reason?: string): never {
    abortTest(reason ?? 'test.abort() called');
    throw new Error(`test aborted: ${reason ?? ''}`);
  },
  get options() {
    return state.options;
  },
});

export default strictModule('k6/execution', { vu, scenario, instance, test });
