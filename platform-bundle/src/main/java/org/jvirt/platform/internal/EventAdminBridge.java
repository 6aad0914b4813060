package org.jvirt.platform.internal;

import java.util.HashMap;
import java.util.Map;

import org.jvirt.api.Domain;
import org.jvirt.api.DomainEvent;
import org.jvirt.api.DomainEventListener;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts every connection's domain lifecycle events to EventAdmin, asynchronously, under the topic
 * {@code org/jvirt/domain/<TYPE>} (e.g. {@code org/jvirt/domain/STARTED}), with the properties
 * {@value #NAME}, {@value #UUID}, {@value #ID}, {@value #TYPE}, {@value #DETAIL}, {@value #DETAIL_LABEL}
 * and {@value #URI}. api-bundle's front end finds this listener through its {@code jvirt.events=all}
 * service property.
 */
@Component(service = DomainEventListener.class, property = "jvirt.events=all")
public class EventAdminBridge implements DomainEventListener {

    public static final String TOPIC_PREFIX = "org/jvirt/domain/";
    public static final String NAME = "domain.name";
    public static final String UUID = "domain.uuid";
    public static final String ID = "domain.id";
    public static final String TYPE = "type";
    public static final String DETAIL = "detail";
    public static final String DETAIL_LABEL = "detail.label";
    public static final String URI = "connection.uri";

    @Reference
    private EventAdmin eventAdmin;

    @Override
    public void onEvent(DomainEvent event) {
        Domain d = event.domain();
        Map<String, Object> props = new HashMap<>();
        props.put(NAME, d.getName());
        props.put(UUID, d.getUUIDString());
        props.put(ID, d.getID());
        props.put(TYPE, event.type().name());
        props.put(DETAIL, event.detail());
        props.put(DETAIL_LABEL, event.detailLabel());
        try {
            props.put(URI, d.getConnect().getURI());
        } catch (RuntimeException e) {
            // the connection went away meanwhile: the event stands without its URI
        }
        eventAdmin.postEvent(new Event(TOPIC_PREFIX + event.type().name(), props));
    }
}
