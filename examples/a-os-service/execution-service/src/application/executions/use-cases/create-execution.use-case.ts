import { Injectable } from '@nestjs/common';
import { IExecutionRepository } from '../../../domain/repositories/execution.repository';
import { IEventPublisher } from '../../../domain/events/event-publisher';

@Injectable()
export class CreateExecutionUseCase {
  // A4: both providers are registered with string tokens, and neither parameter says @Inject('...'):
  // Nest can't resolve dependencies of the CreateExecutionUseCase (?, Object).
  constructor(
    private readonly executionRepository: IExecutionRepository,
    private readonly eventPublisher: IEventPublisher,
  ) {}

  async execute(orderId: string) {
    const execution = await this.executionRepository.save({ id: orderId, orderId, status: 'PENDING' });
    await this.eventPublisher.publish('ExecutionCreated', { orderId });
    return execution;
  }
}
