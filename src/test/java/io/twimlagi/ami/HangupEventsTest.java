package io.twimlagi.ami;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HangupEventsTest {
    static HangupInfo info(String uniqueId) {
        return new HangupInfo(uniqueId, "PJSIP/x-00000001", 16, "Normal Clearing", 0);
    }

    @Test
    void tenThousandSubscribeAndFireCyclesLeaveNoSubscriptionBehind() {
        HangupEvents events = new HangupEvents(Runnable::run);
        AtomicInteger fired = new AtomicInteger();
        for (int i = 0; i < 10_000; i++) {
            String id = "1700000000." + i;
            events.subscribe(id, h -> fired.incrementAndGet());
            events.hungUp(info(id));
        }
        assertEquals(10_000, fired.get());
        assertEquals(0, events.waiting());
    }

    @Test
    void closedSubscriptionsLeaveNothingBehindAndNeverFire() {
        HangupEvents events = new HangupEvents(Runnable::run);
        AtomicInteger fired = new AtomicInteger();
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            subs.add(events.subscribe("1700000001." + i, h -> fired.incrementAndGet()));
            subs.add(events.subscribe("1700000001." + i, h -> fired.incrementAndGet())); // two for one channel
        }
        assertEquals(20_000, events.waiting());
        subs.forEach(Subscription::close);
        subs.forEach(Subscription::close); // idempotent
        assertEquals(0, events.waiting());
        for (int i = 0; i < 10_000; i++) events.hungUp(info("1700000001." + i));
        assertEquals(0, fired.get());
    }

    @Test
    void onlyTheFirstEventOfAHangupIsDeliveredAndLateSubscribersGetIt() {
        HangupEvents events = new HangupEvents(Runnable::run);
        List<HangupInfo> got = new ArrayList<>();
        events.subscribe("1.1", got::add);
        events.hungUp(new HangupInfo("1.1", "PJSIP/a-00000001", 17, "User busy", 486));
        events.hungUp(info("1.1"));
        events.subscribe("1.1", got::add);
        assertEquals(List.of(new HangupInfo("1.1", "PJSIP/a-00000001", 17, "User busy", 486),
                new HangupInfo("1.1", "PJSIP/a-00000001", 17, "User busy", 486)), got);
    }

    @Test
    void rememberedHangupsAreBounded() {
        HangupEvents events = new HangupEvents(Runnable::run);
        for (int i = 0; i <= HangupEvents.RECENT; i++) events.hungUp(info("2." + i));
        List<HangupInfo> got = new ArrayList<>();
        events.subscribe("2.0", got::add); // the oldest was forgotten: waits (a new hangup of that id would fire)
        events.subscribe("2." + HangupEvents.RECENT, got::add);
        assertEquals(List.of(info("2." + HangupEvents.RECENT)), got);
        assertEquals(1, events.waiting());
    }
}
