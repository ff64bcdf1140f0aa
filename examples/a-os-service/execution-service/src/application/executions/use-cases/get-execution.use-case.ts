import { Inject, Injectable } from '@nestjs/common';
import { IExecutionRepository } from '../../../domain/repositories/execution.repository';

@Injectable()
export class GetExecutionUseCase {
  constructor(
    @Inject('IExecutionRepository')
    private readonly executionRepository: IExecutionRepository,
  ) {}

  execute(id: string) {
    return this.executionRepository.findById(id);
  }
}
