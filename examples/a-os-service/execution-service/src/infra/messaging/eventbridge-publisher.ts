import { Injectable } from '@nestjs/common';
import { IEventPublisher } from '../../domain/events/event-publisher';

@Injectable()
export class EventBridgePublisher implements IEventPublisher {
  async publish(type: string, detail: Record<string, unknown>): Promise<void> {
    console.log('publish', type, detail);
  }
}
