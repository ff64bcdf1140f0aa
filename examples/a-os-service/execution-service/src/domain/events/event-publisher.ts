export interface IEventPublisher {
  publish(type: string, detail: Record<string, unknown>): Promise<void>;
}
