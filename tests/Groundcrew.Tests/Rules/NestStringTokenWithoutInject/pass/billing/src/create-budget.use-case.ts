import { Inject, Injectable, Optional } from '@nestjs/common';
import { BudgetProps, IBudgetRepository, IEventPublisher } from './ports';
import { Clock } from './clock';
import { EVENT_PUBLISHER } from './budgets.module';

@Injectable()
export class CreateBudgetUseCase {
  constructor(
    @Inject('IBudgetRepository')
    private readonly budgetRepository: IBudgetRepository,
    @Inject(EVENT_PUBLISHER) private readonly eventPublisher: IEventPublisher,
    private readonly clock: Clock,
    @Optional() private readonly defaults?: BudgetProps,
  ) {}
}

export class Budget {
  constructor(private readonly repo: IBudgetRepository) {}
}
