import { Module } from '@nestjs/common';
import { CreateBudgetUseCase } from './create-budget.use-case';
import { PrismaBudgetRepository } from './prisma-budget.repository';
import { SnsEventPublisher } from './sns-event-publisher';

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');

@Module({
  providers: [
    { provide: 'IBudgetRepository', useClass: PrismaBudgetRepository },
    { provide: EVENT_PUBLISHER, useClass: SnsEventPublisher },
    CreateBudgetUseCase,
  ],
})
export class BudgetsModule {}
