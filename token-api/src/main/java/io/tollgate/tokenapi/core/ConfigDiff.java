package io.tollgate.tokenapi.core;

import io.tollgate.shared.declarative.DeclarativeConfig;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.tokenapi.api.ConfigChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What turns the registry's APIs and plans into a declarative configuration's, the file being the whole desired state
 * (as decK sync): an entry only in the file is created, one that differs is updated, one missing from the file is
 * deleted. The changes come in the order they can be applied: APIs created or updated, then plans created or updated
 * (a new plan's API then exists), then plans deleted, then APIs deleted; by name within each group.
 */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    public static List<ConfigChange> between(DeclarativeConfig current, DeclarativeConfig desired) {
        Map<String, ApiRecord> apisNow = index(current.apis(), ApiRecord::name);
        Map<String, ApiRecord> apisThen = index(desired.apis(), ApiRecord::name);
        Map<String, PlanRecord> plansNow = index(current.plans(), PlanRecord::planId);
        Map<String, PlanRecord> plansThen = index(desired.plans(), PlanRecord::planId);

        List<ConfigChange> upserts = new ArrayList<>();
        List<ConfigChange> deletes = new ArrayList<>();
        for (String name : new TreeSet<>(union(apisNow, apisThen))) {
            change(ConfigChange.API, name, apisNow.get(name), apisThen.get(name), upserts, deletes);
        }
        List<ConfigChange> planUpserts = new ArrayList<>();
        List<ConfigChange> planDeletes = new ArrayList<>();
        for (String id : new TreeSet<>(union(plansNow, plansThen))) {
            change(ConfigChange.PLAN, id, plansNow.get(id), plansThen.get(id), planUpserts, planDeletes);
        }
        List<ConfigChange> out = new ArrayList<>(upserts);
        out.addAll(planUpserts);
        out.addAll(planDeletes);
        out.addAll(deletes);
        return out;
    }

    private static void change(String kind, String name, Object before, Object after, List<ConfigChange> upserts,
                               List<ConfigChange> deletes) {
        if (before == null) {
            upserts.add(new ConfigChange(kind, name, ConfigChange.CREATED, null, json(after)));
        } else if (after == null) {
            deletes.add(new ConfigChange(kind, name, ConfigChange.DELETED, json(before), null));
        } else if (!before.equals(after)) {
            upserts.add(new ConfigChange(kind, name, ConfigChange.UPDATED, json(before), json(after)));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(Object record) {
        return record instanceof ApiRecord api ? DeclarativeConfig.apiJson(api)
                : DeclarativeConfig.planJson((PlanRecord) record);
    }

    private static <T> Map<String, T> index(List<T> records, Function<T, String> key) {
        return records.stream().collect(Collectors.toMap(key, Function.identity()));
    }

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.Set<String> out = new java.util.HashSet<>(a.keySet());
        out.addAll(b.keySet());
        return out;
    }
}
