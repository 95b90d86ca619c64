/**
 * The Asterisk Manager Interface (AMI) edge: {@link io.twimlagi.ami.AmiClient} logs in to Asterisk's manager
 * (asterisk-java's {@code org.asteriskjava.manager}, used nowhere else but here and in {@code agi/}), keeps the
 * connection up across Asterisk restarts, sends actions (Originate, Hangup, Redirect, Getvar, Setvar, ConfBridge
 * kick and mute) and tells listeners at once when a channel hangs up. Everything crossing this package's edge is
 * plain Java: records, {@link io.twimlagi.ami.AmiException}, futures.
 */
package io.twimlagi.ami;
