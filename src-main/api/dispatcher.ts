import type { ContractDef, ContractImpl } from '../../src-shared/contract/define';
import { toErrorInfo, UnetError } from '../../src-shared/contract/errors';
import type { CallOutcome } from '../../src-shared/transport/messages';

export type Dispatch = (method: unknown, input: unknown) => Promise<CallOutcome>;

const MAX_ISSUES_REPORTED = 5;

/**
 * The single entry point of every call from outside (IPC, WebSocket, CLI). It checks that the method
 * exists, validates the input against the contract's schema, runs the implementation and turns any
 * failure into a typed error outcome. Nothing thrown here can reach the transport.
 */
export function createDispatcher<C extends ContractDef>(
  contract: C,
  services: ContractImpl<C>,
  onError?: (method: string, error: unknown) => void,
): Dispatch {
  return async (method, input) => {
    try {
      if (typeof method !== 'string' || method.length > 200) {
        throw new UnetError('INVALID_ARGUMENT', 'method name must be a short string');
      }
      const [serviceName, methodName, ...rest] = method.split('.');
      const service = Object.hasOwn(contract, serviceName) ? contract[serviceName] : undefined;
      const def = service && methodName && rest.length === 0 && Object.hasOwn(service.methods, methodName) ? service.methods[methodName] : undefined;
      if (!service || !def) throw new UnetError('NOT_FOUND', `unknown method "${method}"`);
      const impl = (services as Record<string, Record<string, (input?: unknown) => unknown>>)[serviceName][methodName];
      let value: unknown;
      if (def.input === null) {
        if (input !== undefined && input !== null) {
          throw new UnetError('INVALID_ARGUMENT', `${method} takes no arguments`);
        }
        value = await impl();
      } else {
        const parsed = def.input.safeParse(input);
        if (!parsed.success) {
          const issues = parsed.error.issues.slice(0, MAX_ISSUES_REPORTED).map((issue) => ({
            path: issue.path.map(String).join('.') || '(input)',
            message: issue.message,
          }));
          const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
          throw new UnetError('INVALID_ARGUMENT', `${method}: invalid arguments — ${summary}`, { issues });
        }
        value = await impl(parsed.data);
      }
      return { ok: true, value };
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'INTERNAL') onError?.(String(method), error);
      return { ok: false, error: info };
    }
  };
}
