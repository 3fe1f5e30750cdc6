import { eventListenerName, type ContractApi, type ContractDef } from '../contract/define';
import { UnetError } from '../contract/errors';
import type { Transport } from './messages';

/**
 * Builds the typed `window.unet` object from the contract and any transport. The Electron preload
 * and the browser-mode WebSocket client both use this, so the two can never drift apart.
 */
export function createApiClient<C extends ContractDef>(contract: C, transport: Transport): ContractApi<C> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [serviceName, service] of Object.entries(contract)) {
    const surface: Record<string, unknown> = {};
    for (const methodName of Object.keys(service.methods)) {
      const path = `${serviceName}.${methodName}`;
      surface[methodName] = async (input?: unknown) => {
        const outcome = await transport.call(path, input);
        if (outcome.ok) return outcome.value;
        throw UnetError.fromInfo(outcome.error);
      };
    }
    for (const eventName of Object.keys(service.events)) {
      const channel = `${serviceName}.${eventName}`;
      surface[eventListenerName(eventName)] = (listener: (payload: unknown) => void) => {
        if (typeof listener !== 'function') throw new UnetError('INVALID_ARGUMENT', `${channel}: listener must be a function`);
        return transport.subscribe(channel, listener);
      };
    }
    api[serviceName] = surface;
  }
  return api as ContractApi<C>;
}
