package io.gpumarket.events.ledger;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.gpumarket.events.Event;
import io.gpumarket.events.EventMeta;

/**
 * Topic {@code gpumarket.ledger}, key = the account the entry is booked to, written by
 * billing-service. Amounts are integer micro-dollars; a debit is negative. {@code entryId} is
 * derived from what caused the entry, so a replayed cause books the same entry id again and
 * projections count it once.
 */
public sealed interface LedgerEvent extends Event {
    String entryId();

    /** Signed effect on the account's balance, in micro-dollars. */
    long amountMicros();

    @JsonTypeName("ledger.funds-deposited.v1")
    record FundsDeposited(EventMeta meta, String entryId, long amountMicros) implements LedgerEvent {}

    /** A client pays for usage: {@code amountMicros} is negative. */
    @JsonTypeName("ledger.usage-charged.v1")
    record UsageCharged(EventMeta meta, String entryId, long amountMicros, String instanceId, String machineId,
            long gpuMicros, long storageMicros) implements LedgerEvent {}

    /** A host earns its share of a charge. */
    @JsonTypeName("ledger.earning-credited.v1")
    record EarningCredited(EventMeta meta, String entryId, long amountMicros, String instanceId, String machineId)
            implements LedgerEvent {}

    /** The platform's fee on a charge, booked to the platform account. */
    @JsonTypeName("ledger.fee-credited.v1")
    record FeeCredited(EventMeta meta, String entryId, long amountMicros, String instanceId, String machineId)
            implements LedgerEvent {}
}
